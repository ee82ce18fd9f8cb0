using System.Globalization;
using System.Text;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// The old values of the settings a session changed outside its own instance (the top-level buffer a
/// tracer borrowed, kernel-wide files such as set_graph_function), kept in a file named after the
/// session in <see cref="Tracefs.StateDirectory"/> and written before each change. The session's
/// journal puts them back when it ends and deletes the file; the file is for a process that dies
/// without ending it (kill -9): <see cref="SessionReaper"/> restores the values and deletes it.
/// </summary>
/// <remarks>
/// The first line names the tracefs root ("root", a tab, the path): only a reaper of that tracefs
/// restores the file, so a session on a stand-in directory never writes to the real one. Then one line
/// per setting, oldest first: the file's path below the root, a tab, the value with backslash, tab and
/// newline escaped. Restoring writes them back newest first, so a setting changed twice ends with its
/// first value.
/// </remarks>
public static class SettingsBackup
{
    private const string Extension = ".settings";
    private const string RootKey = "root\t";

    /// <summary>The backup file of session <paramref name="sessionName"/>.</summary>
    public static string PathFor(Tracefs fs, string sessionName)
    {
        ArgumentNullException.ThrowIfNull(fs);
        InstanceName.Validate(sessionName);
        return Path.Combine(fs.StateDirectory, sessionName + Extension);
    }

    /// <summary>Adds a setting before it is changed: <paramref name="path"/> (inside the tracefs root) and the value to put back.</summary>
    /// <exception cref="TraceException">The path is not inside the tracefs root, or the file cannot be written.</exception>
    public static void Append(Tracefs fs, string sessionName, string path, string oldValue)
    {
        ArgumentNullException.ThrowIfNull(oldValue);
        string relative = RelativeInside(fs, path) ?? throw new TraceException(TraceErrorKind.InvalidArgument, "SettingOutsideTracefs",
            $"{path} is not a file of {fs.Root}.", null, path);
        string file = PathFor(fs, sessionName);
        try
        {
            if (!Directory.Exists(fs.StateDirectory) && !OperatingSystem.IsWindows())
            {
                // Root's alone: what is in it gets written to control files.
                Directory.CreateDirectory(fs.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            string header = File.Exists(file) ? "" : RootKey + RootOf(fs) + "\n";
            File.AppendAllText(file, header + relative + "\t" + Escape(oldValue) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceException(TraceErrorKind.Io, "SettingsBackupFailed",
                $"Cannot keep the old value of {path} in {file}: {e.Message}. Nothing was changed.",
                $"Make {fs.StateDirectory} writable, or set {Tracefs.StateDirectoryVariable} to a directory that is.", file, e);
        }
    }

    /// <summary>Deletes the session's backup file (its settings are back, or were never changed).</summary>
    public static void Delete(Tracefs fs, string sessionName)
    {
        string file = PathFor(fs, sessionName);
        if (File.Exists(file))
        {
            File.Delete(file);
        }
    }

    /// <summary>The sessions that have a backup file for this tracefs, by instance name.</summary>
    public static IReadOnlyList<string> Sessions(Tracefs fs)
    {
        ArgumentNullException.ThrowIfNull(fs);
        if (!Directory.Exists(fs.StateDirectory))
        {
            return [];
        }

        var sessions = new List<string>();
        try
        {
            foreach (string file in Directory.EnumerateFiles(fs.StateDirectory, "*" + Extension))
            {
                string name = Path.GetFileNameWithoutExtension(file);
                if (InstanceName.OwnerOf(name) is not null && RecordedRoot(file) == RootOf(fs))
                {
                    sessions.Add(name);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not this user's to read (only root's sessions keep copies): nothing to put back here.
        }

        return sessions.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Writes every saved value back, newest first, and deletes the file. One failure does not stop the
    /// rest; a line that does not name a file inside the tracefs root is skipped. Returns the failures.
    /// </summary>
    public static IReadOnlyList<string> Restore(Tracefs fs, string sessionName)
    {
        string file = PathFor(fs, sessionName);
        if (!File.Exists(file))
        {
            return [];
        }

        var failures = new List<string>();
        string[] lines = File.ReadAllLines(file);
        if (lines.Length == 0 || lines[0] != RootKey + RootOf(fs))
        {
            // Another tracefs's (or damaged): never written to this one.
            return [$"{file} does not belong to {fs.Root}; left alone."];
        }

        for (int i = lines.Length - 1; i >= 1; i--)
        {
            int tab = lines[i].IndexOf('\t');
            string? target = tab > 0 ? Inside(fs, lines[i][..tab]) : null;
            if (target is null || !File.Exists(target))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{file} line {i + 1}: not a file of {fs.Root}; skipped."));
                continue;
            }

            try
            {
                ControlFile.Write(target, Unescape(lines[i][(tab + 1)..]), append: false, fs.PathOf("error_log"));
            }
            catch (TraceException e)
            {
                failures.Add($"{target}: {e.Message}");
            }
        }

        File.Delete(file);
        return failures;
    }

    private static string RootOf(Tracefs fs) => Path.GetFullPath(fs.Root).TrimEnd('/');

    private static string? RecordedRoot(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            string? first = reader.ReadLine();
            return first is not null && first.StartsWith(RootKey, StringComparison.Ordinal) ? first[RootKey.Length..] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The full path of a saved relative path when it stays inside the tracefs root; null otherwise.</summary>
    private static string? Inside(Tracefs fs, string relative)
    {
        if (relative.Length == 0 || Path.IsPathRooted(relative))
        {
            return null;
        }

        string full = Path.GetFullPath(Path.Combine(fs.Root, relative));
        return RelativeInside(fs, full) is null ? null : full;
    }

    private static string? RelativeInside(Tracefs fs, string path)
    {
        string root = RootOf(fs) + "/";
        string full = Path.GetFullPath(path);
        return full.StartsWith(root, StringComparison.Ordinal) && full.Length > root.Length ? full[root.Length..] : null;
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                sb.Append(value[i] switch { 't' => '\t', 'n' => '\n', _ => value[i] });
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }
}
