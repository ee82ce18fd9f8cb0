using PSTrace.Core.Processes;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools;

/// <summary>
/// The comm of a task at the time of its events. The trace's comm column is looked up when a line is
/// printed, from a cache the kernel fills at context switches, so right after an exec it still shows the
/// caller ("bash" for ls), "&lt;...&gt;", or, for a child's events before its exec, already the new name.
/// sched_process_fork (the child starts with its parent's comm) and sched_process_exec tell when a comm
/// changes; this keeps that and falls back to the column, then to /proc.
/// </summary>
internal sealed class CommandTracker
{
    private const int Capacity = 1 << 16;
    private readonly Dictionary<int, string> _afterExec = new();


    /// <summary>The events a watcher should enable for this to work.</summary>
    public static IReadOnlyList<Tracefs.EventId> Events { get; } =
        [new("sched", "sched_process_fork"), new("sched", "sched_process_exec"), new("sched", "sched_process_exit")];

    /// <summary>Feeds sched_process_fork, sched_process_exec and sched_process_exit events; other events are ignored.</summary>
    public void Observe(TraceEvent ev)
    {
        if (_afterExec.Count > Capacity)
        {
            _afterExec.Clear();
        }

        if (ev.Name == "sched_process_exec" && EventFields.Int(ev, "pid") is int pid)
        {
            _afterExec[pid] = Exec.ExecWatcher.CommandAfterExec(EventFields.String(ev, "filename"), ev.Command);
        }
        else if (ev.Name == "sched_process_fork" && EventFields.Int(ev, "child_pid") is int child && EventFields.String(ev, "child_comm") is { } childCommand)
        {
            _afterExec[child] = childCommand;
        }
        else if (ev.Name == "sched_process_exit" && EventFields.Int(ev, "pid") is int exited)
        {
            _afterExec.Remove(exited);
        }
    }

    /// <summary>The comm of the task that logged <paramref name="ev"/>.</summary>
    public string CommandOf(TraceEvent ev)
    {
        if (_afterExec.TryGetValue(ev.ProcessId, out string? known))
        {
            return known;
        }

        return ev.Command != "<...>" ? ev.Command : ThreadGroups.CommandOf(ev.ProcessId) ?? ev.Command;
    }
}
