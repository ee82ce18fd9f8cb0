using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.BlockIo;

namespace PSTrace.Commands;

/// <summary>Watch-BlockIo: block device requests from issue to completion, like iosnoop and biosnoop.</summary>
[Cmdlet(VerbsCommon.Watch, "BlockIo", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(BlockIoEvent), typeof(TraceLostEvents))]
public sealed class WatchBlockIoCommand : WatchCommandBase
{
    /// <summary>Devices to watch, by name (vda, sda1, /dev/nvme0n1) or number (254,0); filtered in the kernel.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Device { get; set; } = Array.Empty<string>();

    protected override TraceWatcher CreateWatcher() => new BlockIoWatcher(Device);
}
