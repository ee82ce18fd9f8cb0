using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Exec;

namespace PSTrace.Commands;

/// <summary>Watch-Exec: programs as processes start them, like execsnoop, with arguments read before the exec.</summary>
[Cmdlet(VerbsCommon.Watch, "Exec", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(ExecEvent), typeof(TraceLostEvents))]
public sealed class WatchExecCommand : WatchCommandBase
{
    /// <summary>How many arguments (argv entries, the program name included) to read per exec.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int MaxArguments { get; set; } = ExecWatcher.DefaultMaxArguments;

    /// <summary>Also show the records of the pwsh running this command (left out by default: its own set-up would show).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter IncludeSelf { get; set; }

    /// <summary>
    /// Bpf reads argv in the kernel (every exec's arguments, static binaries' too); Tracefs uses tracepoints and libc
    /// uprobes; Auto (the default) takes Bpf when Get-TraceCapability Bpf says it is available.
    /// </summary>
    [Parameter]
    public WatchBackend Backend { get; set; } = WatchBackend.Auto;

    protected override bool LeavesOutSelf => !IncludeSelf;

    protected override TraceWatcher CreateWatcher() => new ExecWatcher(MaxArguments);

    protected override BpfWatcher? CreateBpfWatcher() =>
        BackendChoice.Choose(this, Backend, ProcessId) ? new BpfExecWatcher(MaxArguments) : null;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        BackendChoice.CheckEarly(this, Backend);
    }
}
