using PSTrace.Core.Records;

namespace PSTrace.Core.Tools;

/// <summary>
/// The comm of a task at the time of its events. The trace's comm column is looked up when a line is
/// printed, from a cache the kernel fills at context switches, so right after an exec it still shows the
/// caller ("bash" for ls) or "&lt;...&gt;". sched_process_exec tells when a comm changes; this keeps that
/// and falls back to the column, then to /proc.
/// </summary>
internal sealed class CommandTracker
{
    private const int Capacity = 1 << 16;
    private readonly Dictionary<int, string> _afterExec = new();

    /// <summary>Feeds sched_process_exec and sched_process_exit events; other events are ignored.</summary>
    public void Observe(TraceEvent ev)
    {
        if (ev.Name == "sched_process_exec" && EventFields.Int(ev, "pid") is int pid)
        {
            if (_afterExec.Count > Capacity)
            {
                _afterExec.Clear();
            }

            _afterExec[pid] = Exec.ExecWatcher.CommandAfterExec(EventFields.String(ev, "filename"), ev.Command);
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
