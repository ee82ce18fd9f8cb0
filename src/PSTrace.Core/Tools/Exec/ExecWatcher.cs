using System.Globalization;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Exec;

/// <summary>
/// Watches processes start programs, like execsnoop: one <see cref="ExecEvent"/> per exec, failed ones too.
/// </summary>
/// <remarks>
/// <para>sched:sched_process_exec gives the new program, its pid and the calling thread; syscalls:sys_exit_execve
/// (kernel-filtered to ret &lt; 0) gives failures; sched:sched_process_fork gives parents.</para>
/// <para>Arguments come from the caller's side, before the exec replaces its memory: uprobes on libc's execve
/// (which execv, execvp, posix_spawn and system call too) read the path and argv[0..N-1], so a program that
/// exits within a millisecond still has its arguments. Each argv slot is its own probe at the same address
/// (pointer and string): a uprobe event whose strings pass a page makes the kernel warn (WARN_ON_ONCE in
/// prepare_uprobe_buffer), and one string per event keeps that to an argument of 4 KB or more. A caller that
/// makes the system call itself (static binaries, Go) passes no probe: its execs have no arguments (null).</para>
/// </remarks>
public sealed class ExecWatcher : TraceWatcher
{
    public const int DefaultMaxArguments = 20;

    private static readonly EventId ProcessExec = new("sched", "sched_process_exec");
    private static readonly EventId ProcessFork = new("sched", "sched_process_fork");
    private static readonly EventId ProcessExit = new("sched", "sched_process_exit");
    private static readonly EventId[] ExecExits = [new("syscalls", "sys_exit_execve"), new("syscalls", "sys_exit_execveat")];

    private readonly int _slots;
    private readonly Dictionary<string, int> _slotOfEvent = new(StringComparer.Ordinal);
    private string? _pathEvent;
    private TraceClock? _clock;

    public ExecWatcher(int maxArguments = DefaultMaxArguments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxArguments, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxArguments, 64);
        _slots = maxArguments;
    }

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _clock = setup.Clock;

        // Find libc before enabling anything: finding it may run ldconfig, which would be watched. The probes come
        // before the tracepoints, so no exec is seen without the probes that read its arguments.
        UserProbePoint? execve = LibcProbes.Find("execve", out string? problem);
        if (execve is null)
        {
            setup.Warn($"Exec arguments are not available: {problem}");
        }
        else
        {
            // Slot events and the path event of one call are tied together by the argv pointer, in whatever order they fire.
            for (int k = 0; k < _slots; k++)
            {
                string offset = (8 * k).ToString(CultureInfo.InvariantCulture);
                ProbeDefinition slot = setup.AddProbe(LibcProbes.Entry(execve, "argv=%si:x64", $"ptr=+{offset}(%si):x64", $"arg=+0(+{offset}(%si)):string"),
                    string.Create(CultureInfo.InvariantCulture, $"exec_arg{k}"));
                _slotOfEvent[slot.Event] = k;
            }

            string more = (8 * _slots).ToString(CultureInfo.InvariantCulture);
            _pathEvent = setup.AddProbe(LibcProbes.Entry(execve, "argv=%si:x64", $"more=+{more}(%si):x64", "path=+0(%di):string"), "exec_path").Event;
        }

        setup.Enable(ProcessExec, byCommand: true);
        setup.Enable(ProcessFork);
        setup.Enable(ProcessExit);
        foreach (EventId exit in ExecExits.Where(setup.HasEvent))
        {
            setup.Enable(exit, filter: "ret < 0", byCommand: true);
        }

        if (execve is null)
        {
            Backend = "tracepoints sched_process_exec, sched_process_fork and sys_exit_execve; no arguments (libc's execve not found)";
            return;
        }

        bool kprobes = setup.HasKprobes;
        Backend = $"tracepoints sched_process_exec, sched_process_fork and sys_exit_execve; uprobes on execve in {execve.Path} for the path and {_slots} argument slots"
            + (kprobes ? "" : " (this kernel has no kprobes)");
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        TraceClock clock = _clock ?? TraceClock.Unknown;
        var pending = new Dictionary<int, PendingExec>();
        var table = new ProcessTable();
        bool toldUnknown = false;
        foreach (object item in events)
        {
            if (item is not TraceEvent ev)
            {
                yield return item;
                continue;
            }

            if (ev.Name == _pathEvent)
            {
                PendingExec p = PendingFor(pending, ev);
                p.Path = EventFields.String(ev, "path");
                p.More = EventFields.ULong(ev, "more");
            }
            else if (_slotOfEvent.TryGetValue(ev.Name, out int k))
            {
                PendingExec p = PendingFor(pending, ev);
                p.Pointers[k] = EventFields.ULong(ev, "ptr");
                p.Strings[k] = EventFields.String(ev, "arg");
            }
            else if (ev.Name == ProcessExec.Name)
            {
                int pid = EventFields.Int(ev, "pid") ?? EventFields.ProcessOf(ev);
                int thread = EventFields.Int(ev, "old_pid") ?? ev.ProcessId;
                pending.Remove(thread, out PendingExec? p);
                string? filename = EventFields.String(ev, "filename");
                string command = CommandAfterExec(filename, ev.Command);
                table.OnExec(pid, command);
                if (p is null && _pathEvent is not null && !toldUnknown)
                {
                    toldUnknown = true;
                    yield return new WatchNotice(string.Create(CultureInfo.InvariantCulture,
                        $"{command} (pid {pid}) was started by a program that does not call libc's execve (a static binary or a Go program): its Arguments are null, unknown. This is said once; it applies to every such exec."));
                }

                yield return Record(clock, ev, command, pid, thread, 0, filename ?? p?.Path, p, table);
            }
            else if (ev.Name is "sys_exit_execve" or "sys_exit_execveat")
            {
                long ret = EventFields.Long(ev, "ret") ?? 0;
                if (ret >= 0)
                {
                    continue;
                }

                pending.Remove(ev.ProcessId, out PendingExec? p);
                yield return Record(clock, ev, ev.Command, EventFields.ProcessOf(ev), ev.ProcessId, (int)ret, p?.Path, p, table);
            }
            else if (ev.Name == ProcessFork.Name)
            {
                table.OnFork(ev);
            }
            else if (ev.Name == ProcessExit.Name)
            {
                if (EventFields.Int(ev, "pid") is int exited)
                {
                    table.OnExit(exited);
                    pending.Remove(exited);
                }
            }
        }
    }

    /// <summary>
    /// The comm exec gives the new program: the last part of the file name it was given, cut to 15 characters
    /// (begin_new_exec). The trace's comm column cannot be used: it is looked up when the line is printed and
    /// still shows the caller ("bash") or "&lt;...&gt;". For a program run from a descriptor (fexecve, "/dev/fd/N")
    /// the column is all there is.
    /// </summary>
    internal static string CommandAfterExec(string? filename, string column)
    {
        if (string.IsNullOrEmpty(filename) || filename.StartsWith("/dev/fd/", StringComparison.Ordinal))
        {
            return column;
        }

        string name = filename[(filename.LastIndexOf('/') + 1)..];
        return name.Length > CommandPattern.MaxCommandLength ? name[..CommandPattern.MaxCommandLength] : name;
    }

    private PendingExec PendingFor(Dictionary<int, PendingExec> pending, TraceEvent ev)
    {
        ulong argv = EventFields.ULong(ev, "argv") ?? 0;
        if (!pending.TryGetValue(ev.ProcessId, out PendingExec? p) || p.Argv != argv)
        {
            p = new PendingExec(argv, _slots);
            pending[ev.ProcessId] = p;
        }

        return p;
    }

    private static ExecEvent Record(TraceClock clock, TraceEvent ev, string command, int pid, int thread, int ret, string? path, PendingExec? p, ProcessTable table)
    {
        (int? parent, string? parentCommand) = table.ParentOf(pid);
        (IReadOnlyList<string?>? args, bool truncated) = p is null ? (null, false) : p.Arguments();
        return new ExecEvent(clock.ToDateTime(ev.TimestampNanoseconds), ev.TimestampNanoseconds, command, pid, thread, parent, parentCommand, ret, path, args, truncated);
    }
}
