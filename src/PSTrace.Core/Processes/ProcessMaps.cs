using System.Globalization;

namespace PSTrace.Core.Processes;

/// <summary>One file mapping of a process (a line of /proc/PID/maps with a path).</summary>
public sealed record MappedFile(ulong Start, ulong End, string Permissions, ulong FileOffset, string Path, bool Deleted);

/// <summary>Reads /proc/PID/maps: which files a process has mapped, by the paths it sees them under.</summary>
public static class ProcessMaps
{
    public static IReadOnlyList<MappedFile> Read(int processId) =>
        Parse(File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/maps")));

    /// <summary>Parses maps text: "start-end perms offset dev inode   path". Anonymous and special ([heap], [vdso]) mappings are skipped.</summary>
    public static IReadOnlyList<MappedFile> Parse(string text)
    {
        var result = new List<MappedFile>();
        foreach (string line in text.Split('\n'))
        {
            string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || !f[5].StartsWith('/'))
            {
                continue;
            }

            string[] range = f[0].Split('-');
            string path = f[5].TrimStart();
            bool deleted = path.EndsWith(" (deleted)", StringComparison.Ordinal);
            if (deleted)
            {
                path = path[..^" (deleted)".Length];
            }

            result.Add(new MappedFile(
                ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                f[1],
                ulong.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                path,
                deleted));
        }

        return result;
    }
}
