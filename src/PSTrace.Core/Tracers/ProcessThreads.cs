using PSTrace.Core.Processes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// The threads of a process to trace, read through <see cref="ThreadGroups"/>, or an error a person can act on. ftrace filters by thread id (set_ftrace_pid takes
/// task pids), so tracing "a process" means naming every one of its threads (perf-tools#53: -p
/// meant one thread).
/// </summary>
public static class ProcessThreads
{
    /// <summary>The thread ids of the process, the main thread (the pid itself) first.</summary>
    /// <exception cref="TraceException">No such process.</exception>
    public static IReadOnlyList<int> Of(int processId)
    {
        IReadOnlyList<int> threads = ThreadGroups.ThreadsOf(processId);
        if (threads.Count == 0)
        {
            throw new TraceException(TraceErrorKind.NotFound, "ProcessNotFound", $"There is no process {processId}.", "Get-Process lists the running processes.", processId);
        }

        return threads.OrderBy(tid => tid == processId ? 0 : 1).ThenBy(tid => tid).ToList();
    }
}
