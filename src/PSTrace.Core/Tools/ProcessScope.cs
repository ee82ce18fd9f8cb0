using System.Globalization;
using PSTrace.Core.Processes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// Keeps a session to whole processes: every thread of each goes into its instance's set_event_pid, with
/// the event-fork option so threads and children started later are followed by the kernel. The kernel
/// cannot tell a new thread from a new process there, so children are dropped again when reading unless
/// they were asked for.
/// </summary>
public sealed class ProcessScope
{
    private readonly HashSet<int> _processes;
    private readonly Dictionary<int, int?> _processOfThread = new();

    private ProcessScope(IReadOnlyList<int> processIds, bool includeChildren, IReadOnlyList<int> threads)
    {
        ProcessIds = processIds;
        _processes = processIds.ToHashSet();
        IncludeChildren = includeChildren;
        Threads = threads;
    }

    public IReadOnlyList<int> ProcessIds { get; }

    public bool IncludeChildren { get; }

    /// <summary>The threads the processes had when the scope was made.</summary>
    public IReadOnlyList<int> Threads { get; }

    /// <summary>The processes' threads, now.</summary>
    /// <exception cref="TraceException">A process does not exist (ProcessNotFound).</exception>
    public static ProcessScope For(IEnumerable<int> processIds, bool includeChildren)
    {
        ArgumentNullException.ThrowIfNull(processIds);
        IReadOnlyList<int> processes = processIds.Distinct().ToList();
        var threads = new List<int>();
        foreach (int pid in processes)
        {
            threads.AddRange(ThreadsOrFail(pid));
        }

        return new ProcessScope(processes, includeChildren, threads);
    }

    /// <summary>
    /// Refuses a process that does not run, for a filter that needs no thread list (a BPF program's map of
    /// processes, or records kept by process in user space): a watch of no process would wait out its time and
    /// show nothing, without a word.
    /// </summary>
    /// <exception cref="TraceException">A process does not exist (ProcessNotFound).</exception>
    public static void RequireRunning(IEnumerable<int> processIds)
    {
        ArgumentNullException.ThrowIfNull(processIds);
        foreach (int pid in processIds)
        {
            _ = ThreadsOrFail(pid);
        }
    }

    private static IReadOnlyList<int> ThreadsOrFail(int pid)
    {
        IReadOnlyList<int> own = ThreadGroups.ThreadsOf(pid);
        if (own.Count == 0)
        {
            throw new TraceException(TraceErrorKind.NotFound, "ProcessNotFound", $"There is no process with id {pid}.",
                "Get-Process lists the processes that are running.", pid);
        }

        return own;
    }

    /// <summary>
    /// Writes event-fork and set_event_pid in the session's instance; call it before any event is enabled,
    /// so no other process slips in. Returns what it did, for -Verbose.
    /// </summary>
    public string Apply(TraceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.SetOption("event-fork", true);
        session.WriteInstanceFile("set_event_pid", string.Join(' ', Threads.Select(t => t.ToString(CultureInfo.InvariantCulture))));
        return $"set_event_pid: {Threads.Count} thread(s) of process {string.Join(", ", ProcessIds)}, with event-fork.";
    }

    /// <summary>Whether the task that logged <paramref name="ev"/> belongs to a watched process (every task the kernel let through, with children).</summary>
    public bool Contains(TraceEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        if (IncludeChildren)
        {
            return true;
        }

        int? process = ev.ThreadGroupId;
        if (process is null or <= 0)
        {
            if (!_processOfThread.TryGetValue(ev.ProcessId, out process))
            {
                process = ThreadGroups.ProcessOf(ev.ProcessId);
                _processOfThread[ev.ProcessId] = process;
            }
        }

        return process is int p && _processes.Contains(p);
    }
}
