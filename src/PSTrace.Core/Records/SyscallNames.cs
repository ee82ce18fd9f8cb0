using System.Globalization;
using System.Runtime.InteropServices;

namespace PSTrace.Core.Records;

/// <summary>
/// System call numbers to names, as the kernel's syscall tracepoints spell them (newstat, umount), so counts made
/// in the kernel by number (raw_syscalls) carry the names the tracefs backend's records carry. The table is this
/// architecture's (x86_64; SyscallNumbers.x86_64.txt says how it was made); a number it lacks is named syscall_N.
/// </summary>
public static class SyscallNames
{
    private static readonly Lazy<IReadOnlyDictionary<long, string>> Table = new(Load);

    /// <summary>True when this process's architecture has a table (otherwise every name is syscall_N).</summary>
    public static bool HasTable => Table.Value.Count > 0;

    /// <summary>Every name the table has.</summary>
    public static IEnumerable<string> All => Table.Value.Values;

    /// <summary>The name of system call <paramref name="number"/> on this architecture.</summary>
    public static string Of(long number) =>
        Table.Value.TryGetValue(number, out string? name) ? name : "syscall_" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses the table's lines ("number name"; '#' starts a comment).</summary>
    internal static Dictionary<long, string> Parse(TextReader reader)
    {
        var table = new Dictionary<long, string>();
        while (reader.ReadLine() is { } line)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && !line.StartsWith('#'))
            {
                table[long.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture)] = parts[1];
            }
        }

        return table;
    }

    private static IReadOnlyDictionary<long, string> Load()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return new Dictionary<long, string>();
        }

        using Stream stream = typeof(SyscallNames).Assembly.GetManifestResourceStream("PSTrace.Core.SyscallNumbers.x86_64.txt")
            ?? throw new InvalidOperationException("The system call table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
