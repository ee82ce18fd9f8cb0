using System.Globalization;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// The threads of a process, from /proc/PID/task. ftrace filters by thread id (set_ftrace_pid takes
/// task pids), so tracing "a process" means naming every one of its threads (perf-tools#53: -p
/// meant one thread).
/// </summary>
public static class ProcessThreads
{
    /// <summary>The thread ids of the process, the main thread (the pid itself) first.</summary>
    /// <exception cref="TraceException">No such process.</exception>
    public static IReadOnlyList<int> Of(int processId)
    {
        string dir = "/proc/" + processId.ToString(CultureInfo.InvariantCulture) + "/task";
        try
        {
            var ids = Directory.EnumerateDirectories(dir)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int tid) ? tid : 0)
                .Where(tid => tid > 0)
                .OrderBy(tid => tid == processId ? 0 : 1)
                .ThenBy(tid => tid)
                .ToList();
            if (ids.Count > 0)
            {
                return ids;
            }
        }
        catch (IOException)
        {
        }

        throw new TraceException(TraceErrorKind.NotFound, "ProcessNotFound", $"There is no process {processId}.", "Get-Process lists the running processes.", processId);
    }
}
