using System.Globalization;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// Which process owns a session, beyond its number. A session's instance and probe group carry only the
/// PID (pstrace-PID-N, pstrace_PID), and PIDs come back (pid_max is 32768 on many machines): a leftover
/// whose PID now belongs to some other process must not look alive forever. So a process records, in
/// <see cref="Tracefs.StateDirectory"/>, its start time (field 22 of /proc/PID/stat, clock ticks since boot)
/// before its first session; an owner is alive only when its PID runs and started at that time. A session
/// name with no record is alive only while its PID runs a process with PSTrace loaded (a PSTrace too old
/// to keep records); one made by hand, like pstrace-1-1, has no live owner.
/// </summary>
public static class SessionOwner
{
    private const string Prefix = "owner-";
    private static readonly string EngineFile = typeof(SessionOwner).Assembly.GetName().Name + ".dll";

    // This process's records (one per state directory it used): deleted when the process exits, since a
    // record only matters while its process runs (a dead PID is no owner with or without one).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> s_recorded = new(StringComparer.Ordinal);

    /// <summary>Field 22 of /proc/PID/stat (starttime), or null when the process is gone.</summary>
    public static long? StartTimeOf(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and ')', so count fields after the last ')'.
        // Field 3 (state) is the first after it, so starttime (22) is the 20th.
        int close = text.LastIndexOf(')');
        string[] rest = close < 0 ? [] : text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return rest.Length >= 20 && long.TryParse(rest[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) ? start : null;
    }

    /// <summary>The record of <paramref name="pid"/>'s start time.</summary>
    public static string PathFor(Tracefs fs, int pid) => Path.Combine(fs.StateDirectory, Prefix + pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Records this process as a session owner, once; call before its first session is made.</summary>
    /// <exception cref="TraceException">The record cannot be written (then no session is made: it would look ownerless to others).</exception>
    public static void RecordThisProcess(Tracefs fs)
    {
        ArgumentNullException.ThrowIfNull(fs);
        int pid = Environment.ProcessId;
        long start = StartTimeOf(pid) ?? 0;
        string file = PathFor(fs, pid);
        if (Recorded(fs, pid) == start)
        {
            return;
        }

        try
        {
            if (!Directory.Exists(fs.StateDirectory) && !OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(fs.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            File.WriteAllText(file, start.ToString(CultureInfo.InvariantCulture) + "\n");
            s_recorded.TryAdd(file, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceException(TraceErrorKind.Io, "SessionOwnerNotRecorded", $"Cannot record this process as a session owner in {file}: {e.Message}. No session was started.",
                $"Make {fs.StateDirectory} writable, or set {Tracefs.StateDirectoryVariable} to a directory that is.", file, e);
        }
    }

    /// <summary>
    /// Whether the session owner <paramref name="pid"/> still runs: this process, or a process of that PID
    /// that started when the record says. A PID in use by a process that started at another time (reused),
    /// or with no record, is not the owner.
    /// </summary>
    public static bool IsAlive(Tracefs fs, int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        long? now = StartTimeOf(pid);
        if (now is null)
        {
            return false;
        }

        // No record: a process of a PSTrace that kept none (an older one), or a name made by hand. Only a
        // process that has PSTrace loaded can own a session; pid 1 or a shell never does.
        long? recorded = Recorded(fs, pid);
        return recorded is null ? HasPSTraceLoaded(pid) : recorded == now;
    }

    /// <summary>Whether the process maps PSTrace's engine (a .NET process maps the assemblies it loads).</summary>
    private static bool HasPSTraceLoaded(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/maps"))
            {
                if (line.EndsWith("/" + EngineFile, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not ours to read (another user's process): take it as alive, the side that touches nothing.
            return true;
        }
    }

    /// <summary>Deletes this process's records, at exit, after its sessions were cleaned up: nothing is left in the state directory.</summary>
    public static void ForgetThisProcess()
    {
        foreach (string file in s_recorded.Keys)
        {
            s_recorded.TryRemove(file, out _);
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exiting anyway: the next session's reaping forgets a dead owner's record.
            }
        }
    }

    /// <summary>Deletes the records of owners that are no longer alive (after their leftovers were reaped).</summary>
    public static void ForgetDead(Tracefs fs)
    {
        ArgumentNullException.ThrowIfNull(fs);
        try
        {
            foreach (string file in Directory.EnumerateFiles(fs.StateDirectory, Prefix + "*"))
            {
                if (int.TryParse(Path.GetFileName(file).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsAlive(fs, pid))
                {
                    File.Delete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not this user's, or gone: stale records only cost a file each.
        }
    }

    private static long? Recorded(Tracefs fs, int pid)
    {
        try
        {
            string file = PathFor(fs, pid);
            return File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long start) ? start : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
