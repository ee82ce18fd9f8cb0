using PSTrace.Core.Processes;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools;

/// <summary>
/// Who started whom, learnt from sched_process_fork while a watch runs, and each process's latest
/// command name (from execs; /proc for one that has not exec'd since). For a process that started before the watch, /proc answers
/// while the process is still there; after that the parent is unknown (null), never guessed.
/// </summary>
internal sealed class ProcessTable
{
    /// <summary>A watch over hours must not grow without bound: past this many entries the oldest knowledge is dropped.</summary>
    private const int Capacity = 1 << 17;

    private readonly Dictionary<int, int> _parentOf = new();
    private readonly Dictionary<int, string> _commandOf = new();
    private readonly Dictionary<int, string> _forkCommandOf = new();

    /// <summary>sched_process_fork: the forking task's process is the parent of child_pid.</summary>
    public void OnFork(TraceEvent ev)
    {
        int? child = EventFields.Int(ev, "child_pid");
        if (child is not int c)
        {
            return;
        }

        Trim();
        int parent = EventFields.ProcessOf(ev);
        _parentOf[c] = parent;

        // The forking thread's name ("Pipeline Execut"), not always the process's: only a last resort.
        _forkCommandOf[parent] = EventFields.String(ev, "parent_comm") ?? ev.Command;
    }

    public void OnExec(int processId, string command)
    {
        Trim();
        _commandOf[processId] = command;
    }

    /// <summary>sched_process_exit of a thread: what was known about it as a child is no longer needed.</summary>
    public void OnExit(int threadId) => _parentOf.Remove(threadId);

    public (int? Parent, string? ParentCommand) ParentOf(int processId)
    {
        int? parent = _parentOf.TryGetValue(processId, out int known) ? known : ThreadGroups.ParentOf(processId);
        if (parent is not int p)
        {
            return (null, null);
        }

        string? command = _commandOf.TryGetValue(p, out string? c) ? c
            : ThreadGroups.CommandOf(p) ?? (_forkCommandOf.TryGetValue(p, out string? f) ? f : null);
        return (p, command);
    }

    private void Trim()
    {
        if (_parentOf.Count > Capacity)
        {
            _parentOf.Clear();
        }

        if (_commandOf.Count > Capacity || _forkCommandOf.Count > Capacity)
        {
            _commandOf.Clear();
            _forkCommandOf.Clear();
        }
    }
}
