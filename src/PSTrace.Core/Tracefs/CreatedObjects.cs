namespace PSTrace.Core.Tracefs;

/// <summary>
/// Which instances and probes PSTrace made, so that removing anything else can ask first. A session's
/// objects say so by their names (instances/pstrace-PID-N, probe group pstrace_PID); what a user made
/// on purpose with New-TraceInstance, New-Uprobe or New-Kprobe is named freely, so those commands leave a
/// mark: a line in <see cref="FileName"/> in <see cref="Tracefs.StateDirectory"/>, removed with the object.
/// </summary>
/// <remarks>
/// One line per object: the tracefs root, a tab, "instance" or "probe", a tab, the instance name or the
/// probe's group/event. The root keeps the marks of a stand-in tracefs (tests) apart from the real one's.
/// A mark outlives an object removed by other means (rmdir, echo -:...) until the next mark is written,
/// which drops the marks of objects that are gone; a same-named object made meanwhile counts as PSTrace's,
/// which only spares a question.
/// </remarks>
public static class CreatedObjects
{
    public const string FileName = "created";

    /// <summary>The groups of PSTrace's own probes (a session's pstrace_PID, the tools' pstrace_fixture).</summary>
    public const string SessionProbeGroupPrefix = "pstrace_";

    private const string InstanceKind = "instance";
    private const string ProbeKind = "probe";
    private static readonly object Lock = new();

    /// <summary>Whether PSTrace made this instance: a session's by its name, or one New-TraceInstance made.</summary>
    public static bool IsOurInstance(Tracefs fs, string name) =>
        InstanceName.OwnerOf(name) is not null || Has(fs, InstanceKind, name);

    /// <summary>Whether PSTrace made this probe: a session's by its group, or one New-Uprobe or New-Kprobe made.</summary>
    public static bool IsOurProbe(Tracefs fs, string group, string name) =>
        group.StartsWith(SessionProbeGroupPrefix, StringComparison.Ordinal) || Has(fs, ProbeKind, group + "/" + name);

    public static void AddInstance(Tracefs fs, string name) => Add(fs, InstanceKind, name);

    public static void RemoveInstance(Tracefs fs, string name) => Remove(fs, InstanceKind, name);

    public static void AddProbe(Tracefs fs, string group, string name) => Add(fs, ProbeKind, group + "/" + name);

    public static void RemoveProbe(Tracefs fs, string group, string name) => Remove(fs, ProbeKind, group + "/" + name);

    private static string PathOf(Tracefs fs) => Path.Combine(fs.StateDirectory, FileName);

    private static string Line(Tracefs fs, string kind, string name) => Path.GetFullPath(fs.Root).TrimEnd('/') + "\t" + kind + "\t" + name;

    private static bool Has(Tracefs fs, string kind, string name)
    {
        string line = Line(fs, kind, name);
        return Lines(fs).Contains(line, StringComparer.Ordinal);
    }

    /// <exception cref="TraceException">The mark cannot be written (the object stays; it only counts as foreign later).</exception>
    private static void Add(Tracefs fs, string kind, string name)
    {
        string line = Line(fs, kind, name);
        lock (Lock)
        {
            // Marks of objects removed by other means (rmdir, a probe file written by hand) go now: the file stays small.
            List<string> lines = Lines(fs).Where(l => l != line && StillThere(fs, l)).Append(line).ToList();
            Write(fs, () =>
            {
                if (!Directory.Exists(fs.StateDirectory) && !OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(fs.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                File.WriteAllLines(PathOf(fs), lines);
            });
        }
    }

    private static void Remove(Tracefs fs, string kind, string name)
    {
        string line = Line(fs, kind, name);
        lock (Lock)
        {
            List<string> lines = Lines(fs);
            if (lines.RemoveAll(l => l == line) > 0)
            {
                // The last mark gone, the file goes too: nothing of PSTrace's stays in the state directory.
                Write(fs, lines.Count == 0 ? () => File.Delete(PathOf(fs)) : () => File.WriteAllLines(PathOf(fs), lines));
            }
        }
    }

    /// <summary>Whether a mark's object still exists; marks of another tracefs are kept as they are.</summary>
    private static bool StillThere(Tracefs fs, string line)
    {
        string[] parts = line.Split('\t');
        string root = Path.GetFullPath(fs.Root).TrimEnd('/');
        if (parts.Length != 3 || parts[0] != root)
        {
            return parts.Length == 3;
        }

        return parts[1] == InstanceKind
            ? Directory.Exists(Path.Combine(fs.InstancesDirectory, parts[2]))
            : Directory.Exists(Path.Combine(root, "events", parts[2]));
    }

    private static List<string> Lines(Tracefs fs)
    {
        try
        {
            string file = PathOf(fs);
            return File.Exists(file) ? File.ReadAllLines(file).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not this user's to read: nothing counts as made here (removal then asks, which is the safe side).
            return [];
        }
    }

    private static void Write(Tracefs fs, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceException(TraceErrorKind.Io, "CreatedMarkNotWritten", $"Cannot note in {PathOf(fs)} what PSTrace made: {e.Message}.",
                $"Make {fs.StateDirectory} writable, or set {Tracefs.StateDirectoryVariable} to a directory that is.", PathOf(fs), e);
        }
    }
}
