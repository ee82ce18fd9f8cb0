using System.Diagnostics.CodeAnalysis;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// Builds <see cref="FunctionCall"/> trees from function_graph records as they stream in, and hands
/// each tree out as soon as its root returns (or each call, in flat mode).
/// </summary>
/// <remarks>
/// Calls nest per task, not per CPU: a task switched out inside a call (or moved to another CPU)
/// carries on its own stack when it runs again. When records carry no pid, the context-switch lines
/// say which task runs on a CPU. Lost records never mis-nest a call: an entry whose exit never came
/// is closed with IsExitLost when something shows it is over; an exit without its entry becomes a
/// call with IsEntryLost, which takes in the finished calls below it that were waiting for a parent.
/// </remarks>
public sealed partial class FunctionCallTreeBuilder
{
    // Calls finished below depth 0 with no open parent wait for a lost-entry exit to adopt them;
    // past this many, the oldest go out as they are, so a trace without roots cannot grow memory.
    private const int MaxWaiting = 4096;

    private const int NoPid = -1;

    private readonly bool _flat;
    private readonly Dictionary<TaskKey, TaskState> _tasks = new();
    private readonly Dictionary<int, TaskKey> _runningOnCpu = new();
    private readonly Queue<FunctionCall> _ready = new();
    private bool _sawCpu;
    private FunctionCall? _lastClosed;
    private int _openCalls;

    /// <param name="flat">Hand out every call on its own (in the order they began) rather than whole trees.</param>
    public FunctionCallTreeBuilder(bool flat = false)
    {
        _flat = flat;
    }

    /// <summary>Calls begun and not yet returned, over all tasks.</summary>
    public int OpenCalls => _openCalls;

    /// <summary>Calls returned, waiting for their trees' roots to return.</summary>
    public int Waiting => _tasks.Values.Sum(t => t.Waiting.Count);

    /// <summary>Tasks the builder holds state for (open calls, calls waiting, or running on a CPU).</summary>
    public int Tasks => _tasks.Count;

    /// <summary>Takes the next finished tree (or call, in flat mode).</summary>
    public bool TryTake([NotNullWhen(true)] out FunctionCall? call) => _ready.TryDequeue(out call);

    public void Add(in FunctionGraphEvent record)
    {
        TaskState task = TaskOf(record);
        switch (record.Kind)
        {
            case FunctionGraphEventKind.Entry:
            case FunctionGraphEventKind.Leaf:
                Begin(task, record);
                break;
            case FunctionGraphEventKind.Exit:
                End(task, record);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(record), record.Kind, "unknown record kind");
        }
    }

    /// <summary>
    /// The CPU switched from one task to another (the text's "prev-pid => next-pid" lines). Records
    /// without a pid that follow on this CPU belong to the next task; those before it, if their task
    /// was not known yet, were the previous task's.
    /// </summary>
    public void SwitchTask(int? cpu, int previousProcessId, string? previousCommand, int nextProcessId, string? nextCommand)
    {
        int slot = _sawCpu ? cpu ?? -1 : -1;
        if (_runningOnCpu.TryGetValue(slot, out TaskKey current) && current.Pid == NoPid
            && _tasks.Remove(current, out TaskState? unnamed))
        {
            TaskKey previous = TaskKey.For(previousProcessId, cpu);
            if (_tasks.ContainsKey(previous))
            {
                // Cannot be merged into a stack already under way: end what the unnamed stack holds.
                CloseAll(unnamed);
            }
            else if (unnamed.Open.Count > 0 || unnamed.Waiting.Count > 0)
            {
                unnamed.Name(previousProcessId, previousCommand);
                _tasks[previous] = unnamed;
            }
        }

        TaskKey next = TaskKey.For(nextProcessId, cpu);
        if (!_tasks.TryGetValue(next, out TaskState? state))
        {
            state = new TaskState(nextProcessId, nextCommand);
            _tasks[next] = state;
        }

        state.LastCpu = cpu;
        Run(slot, next);
    }

    /// <summary>
    /// The buffer lost records on a CPU (null: on an unknown one). Calls open on it are closed as
    /// exit-lost and calls waiting for a parent go out as they are, so nothing after the gap
    /// nests under (or adopts) a call from before it.
    /// </summary>
    public void EventsLost(int? cpu)
    {
        foreach (TaskState task in _tasks.Values)
        {
            if (cpu is null || task.LastCpu is null || task.LastCpu == cpu)
            {
                CloseAll(task);
            }
        }
    }

    /// <summary>Return-stack overruns reported for the call that returned last.</summary>
    public void AddOverruns(int overruns)
    {
        if (_lastClosed is not null)
        {
            _lastClosed.Overruns = overruns;
        }
    }

    /// <summary>The input ended: calls still open are closed as exit-lost and everything is handed out.</summary>
    public void Complete()
    {
        foreach (TaskState task in _tasks.Values)
        {
            CloseAll(task);
        }
    }

    private TaskState TaskOf(in FunctionGraphEvent record)
    {
        int slot = record.Cpu ?? -1;
        _sawCpu |= record.Cpu is not null;
        TaskKey key;
        if (record.ProcessId is { } pid)
        {
            key = TaskKey.For(pid, record.Cpu);
            Run(slot, key);
        }
        else if (!_runningOnCpu.TryGetValue(slot, out key))
        {
            key = new TaskKey(NoPid, slot);
            _runningOnCpu[slot] = key;
        }

        if (!_tasks.TryGetValue(key, out TaskState? task))
        {
            task = new TaskState(key.Pid == NoPid ? null : key.Pid, record.Command);
            _tasks[key] = task;
        }
        else if (record.Command is not null && task.Command is null)
        {
            task.Command = record.Command;
        }

        task.LastCpu = record.Cpu;
        return task;
    }

    // The task on a CPU changes. The one leaving is forgotten if it holds nothing and runs nowhere
    // else, so a long trace through many short-lived tasks keeps no state for the dead ones.
    private void Run(int slot, TaskKey key)
    {
        if (!_runningOnCpu.TryGetValue(slot, out TaskKey leaving) || leaving == key)
        {
            _runningOnCpu[slot] = key;
            return;
        }

        _runningOnCpu[slot] = key;
        if (_tasks.TryGetValue(leaving, out TaskState? state) && state.Open.Count == 0 && state.Waiting.Count == 0
            && !_runningOnCpu.ContainsValue(leaving))
        {
            _tasks.Remove(leaving);
        }
    }

    private void Begin(TaskState task, in FunctionGraphEvent record)
    {
        // A call at this depth begins: whatever is still open at it or below has returned unseen.
        FunctionCall? cut = CloseDeeper(task, record.Depth, inclusive: true);
        if (cut is not null && cut.Depth == record.Depth)
        {
            task.Cut = cut;
        }
        if (task.Open.Count == 0 && record.Depth == 0)
        {
            // A new root: nothing waiting can be adopted any more.
            FlushWaiting(task);
        }

        var call = new FunctionCall(record.Function, record.Module, record.Depth, record.Cpu,
            record.ProcessId ?? task.Pid, record.Command ?? task.Command, record.TimestampNanoseconds, isEntryLost: false);
        Push(task, call);
        if (record.Kind == FunctionGraphEventKind.Leaf)
        {
            Close(task, call, record, exitTimestamp: null);
        }
    }

    private void End(TaskState task, in FunctionGraphEvent record)
    {
        CloseDeeper(task, record.Depth, inclusive: false);
        List<FunctionCall> open = task.Open;
        if (open.Count > 0 && open[^1].Depth == record.Depth)
        {
            FunctionCall top = open[^1];
            if (record.Function is null || top.Function is null || string.Equals(top.Function, record.Function, StringComparison.Ordinal))
            {
                Close(task, top, record, record.TimestampNanoseconds);
                return;
            }

            // The exit names another function: both the open call's exit and this call's entry were lost.
            CloseDeeper(task, record.Depth, inclusive: true);
        }
        else if (TryRevive(task, record))
        {
            return;
        }

        ulong? began = record.TimestampNanoseconds is { } end && record.DurationNanoseconds is { } d && (ulong)d <= end
            ? end - (ulong)d
            : null;
        var call = new FunctionCall(record.Function, record.Module, record.Depth, record.Cpu,
            record.ProcessId ?? task.Pid, record.Command ?? task.Command, began, isEntryLost: true);
        if (open.Count == 0)
        {
            Adopt(task, call);
        }

        Push(task, call);
        Close(task, call, record, exitTimestamp: null);
    }

    private void Push(TaskState task, FunctionCall call)
    {
        if (task.Open.Count > 0)
        {
            task.Open[^1].AddChild(call);
        }

        task.Open.Add(call);
        _openCalls++;
    }

    // An interrupt that comes while a function returns (after the kernel popped its return stack,
    // before it wrote the exit record) is recorded at the function's own depth, ahead of the exit:
    // "f() {", "irq_enter_rcu();" ..., "} /* f */". The sibling cut f short; its late exit restores it.
    private bool TryRevive(TaskState task, in FunctionGraphEvent record)
    {
        List<FunctionCall> open = task.Open;
        if (task.Cut is not { } cut || cut.Depth != record.Depth || open.Count == 0 || !ReferenceEquals(cut.GetParent(), open[^1])
            || record.Function is not null && !string.Equals(cut.Function, record.Function, StringComparison.Ordinal))
        {
            return false;
        }

        task.Cut = null;
        cut.IsExitLost = false;
        Finish(cut, record, record.TimestampNanoseconds);
        return true;
    }

    private void Close(TaskState task, FunctionCall call, in FunctionGraphEvent record, ulong? exitTimestamp)
    {
        Finish(call, record, exitTimestamp);
        Pop(task, call);
    }

    private void Finish(FunctionCall call, in FunctionGraphEvent record, ulong? exitTimestamp)
    {
        call.DurationNanoseconds = record.DurationNanoseconds;
        if (call.DurationNanoseconds is null && exitTimestamp is { } end && call.TimestampNanoseconds is { } begin && end >= begin)
        {
            // funcgraph-duration off, funcgraph-abstime on: the times still tell.
            call.DurationNanoseconds = (long)(end - begin);
        }

        call.ReturnValue = record.ReturnValue;
        call.Overruns = record.Overruns;
        if (call.Function is null && record.Function is not null)
        {
            call.Function = record.Function;
            call.Module = record.Module;
        }

        _lastClosed = call;
    }

    // Closes the open calls deeper than depth (and at it, when inclusive) as exit-lost; returns the last closed.
    private FunctionCall? CloseDeeper(TaskState task, int depth, bool inclusive)
    {
        List<FunctionCall> open = task.Open;
        FunctionCall? lost = null;
        while (open.Count > 0 && (open[^1].Depth > depth || inclusive && open[^1].Depth == depth))
        {
            lost = open[^1];
            lost.IsExitLost = true;
            Pop(task, lost);
        }

        return lost;
    }

    private void CloseAll(TaskState task)
    {
        CloseDeeper(task, int.MinValue, inclusive: true);
        FlushWaiting(task);
        task.Cut = null;
    }

    private void Pop(TaskState task, FunctionCall call)
    {
        task.Open.RemoveAt(task.Open.Count - 1);
        _openCalls--;
        if (task.Open.Count > 0)
        {
            return;
        }

        if (call.Depth <= 0)
        {
            Emit(call);
            return;
        }

        // Finished with no open parent: its parent's entry was lost; a later exit may adopt it.
        task.Waiting.Add(call);
        if (task.Waiting.Count > MaxWaiting)
        {
            Emit(task.Waiting[0]);
            task.Waiting.RemoveAt(0);
        }
    }

    private static void Adopt(TaskState task, FunctionCall parent)
    {
        List<FunctionCall> waiting = task.Waiting;
        int first = waiting.Count;
        while (first > 0 && waiting[first - 1].Depth > parent.Depth)
        {
            first--;
        }

        for (int i = first; i < waiting.Count; i++)
        {
            parent.AddChild(waiting[i]);
        }

        waiting.RemoveRange(first, waiting.Count - first);
    }

    private void FlushWaiting(TaskState task)
    {
        foreach (FunctionCall call in task.Waiting)
        {
            Emit(call);
        }

        task.Waiting.Clear();
    }

    private void Emit(FunctionCall root)
    {
        if (!_flat)
        {
            _ready.Enqueue(root);
            return;
        }

        foreach (FunctionCall call in root.GetDescendantsAndSelf())
        {
            _ready.Enqueue(call);
        }
    }
}
