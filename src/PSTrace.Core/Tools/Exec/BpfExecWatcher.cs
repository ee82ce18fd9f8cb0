using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Exec;

/// <summary>
/// Watch-Exec's BPF backend: the same <see cref="ExecEvent"/> records as <see cref="ExecWatcher"/>, from
/// Bpf/Programs/exec.bpf.c. argv and the path are read in the kernel at sys_enter_execve and sys_enter_execveat,
/// so every exec has its arguments, whoever makes the call (libc, a static binary, a Go program, a raw syscall);
/// the new program and its parent come from sched_process_exec, a failure from the syscall's exit.
/// </summary>
public sealed class BpfExecWatcher : BpfWatcher
{
    private readonly int _maxArguments;

    public BpfExecWatcher(int maxArguments = ExecWatcher.DefaultMaxArguments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxArguments, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxArguments, 64);
        _maxArguments = maxArguments;
        Backend = $"BPF program exec.bpf.o: argv (up to {maxArguments}) and path read in the kernel at sys_enter_execve/execveat, the new program at sched_process_exec, failures at sys_exit_execve/execveat";
    }

    public override string ProgramFile => "exec";

    public override IReadOnlyList<string> Programs { get; } =
        ["pstrace_exec_enter", "pstrace_execat_enter", "pstrace_exec_done", "pstrace_exec_exit", "pstrace_execat_exit"];

    public override TraceEvent? Decode(byte[] record) => BpfExecRecords.Decode(record);

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);

        // What sys_enter read, by the calling thread, until its exec is done or has failed.
        var pending = new Dictionary<int, TraceEvent>();
        foreach (object item in events)
        {
            if (item is not TraceEvent ev || ev.System != BpfExecRecords.System)
            {
                yield return item;
                continue;
            }

            switch (ev.Name)
            {
                case BpfExecRecords.Args:
                    pending[ev.ProcessId] = ev;
                    break;
                case BpfExecRecords.Done:
                case BpfExecRecords.Fail:
                    int caller = (int)ev.Fields["old_pid"]!;
                    pending.Remove(caller, out TraceEvent? args);
                    yield return Record(ev, caller, args);
                    break;
            }
        }
    }

    private ExecEvent Record(TraceEvent ev, int caller, TraceEvent? args)
    {
        string?[]? argv = args?.Fields["args"] as string?[];
        bool truncated = args?.Fields["truncated"] is true;
        if (argv is not null && argv.Length > _maxArguments)
        {
            argv = argv[.._maxArguments];
            truncated = true;
        }

        int pid = (int)ev.Fields["pid"]!;
        int parent = (int)ev.Fields["parent_pid"]!;
        return new ExecEvent(Clock.ToDateTime(ev.TimestampNanoseconds), ev.TimestampNanoseconds, ev.Command, pid, caller,
            parent > 0 ? parent : null, parent > 0 ? (string?)ev.Fields["parent_comm"] : null, (int)ev.Fields["ret"]!,
            args?.Fields["path"] as string, argv, truncated);
    }
}
