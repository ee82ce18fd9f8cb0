using System.Management.Automation;
using PSTrace.Core.Bpf;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Open;

namespace PSTrace.Commands;

/// <summary>Watch-Open: files as processes open them, like opensnoop, with names read by libc uprobes.</summary>
[Cmdlet(VerbsCommon.Watch, "Open", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(OpenEvent), typeof(TraceLostEvents))]
public sealed class WatchOpenCommand : WatchCommandBase
{
    /// <summary>Only opens that failed (filtered in the kernel).</summary>
    [Parameter]
    public SwitchParameter FailedOnly { get; set; }

    /// <summary>Also show the records of the pwsh running this command (left out by default: its own set-up would show).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter IncludeSelf { get; set; }

    /// <summary>
    /// Bpf reads the file name in the kernel (every open's, static binaries' and the dynamic loader's too); Tracefs uses
    /// syscall tracepoints and libc uprobes; Auto (the default) takes Bpf when Get-TraceCapability Bpf says it is available.
    /// </summary>
    [Parameter]
    public WatchBackend Backend { get; set; } = WatchBackend.Auto;

    protected override bool LeavesOutSelf => !IncludeSelf;

    protected override TraceWatcher CreateWatcher() => new OpenWatcher(FailedOnly);

    protected override BpfWatcher? CreateBpfWatcher() =>
        BackendChoice.Choose(this, Backend, ProcessId) ? new BpfOpenWatcher(FailedOnly) : null;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        BackendChoice.CheckEarly(this, Backend);
    }
}
