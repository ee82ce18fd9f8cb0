using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.BlockIo;

namespace PSTrace.Commands;

/// <summary>
/// Watch-BlockIo: block device requests from issue to completion, like iosnoop and biosnoop; with -Histogram their
/// latencies as a power-of-two histogram, like biolatency, counted in the kernel where BPF is available.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "BlockIo", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(BlockIoEvent), typeof(TraceLostEvents))]
[OutputType(typeof(HistogramBucket))]
public sealed class WatchBlockIoCommand : WatchCommandBase
{
    /// <summary>What the BPF histogram cannot filter on: it counts every request of the chosen disks, whoever made it.</summary>
    private static readonly (string[] Names, string Why) HistogramTracefsOnly = (["Path", "OutFile", "BufferSizeKb", "Name", "ProcessId", "IncludeChildren"],
        "the BPF histogram counts every process's requests in the kernel, by disk, so there are no events to save to a trace.dat or read from one, no tracefs buffer to size, and no process or command to keep to.");

    /// <summary>Devices to watch, by name (vda, sda1, /dev/nvme0n1) or number (254,0); filtered in the kernel.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Device { get; set; } = Array.Empty<string>();

    /// <summary>Count the requests' latencies (issue to completion) into power-of-two buckets of microseconds instead of writing each request.</summary>
    [Parameter]
    public SwitchParameter Histogram { get; set; }

    /// <summary>With -Histogram: one histogram per disk.</summary>
    [Parameter]
    public SwitchParameter PerDisk { get; set; }

    /// <summary>
    /// With -Histogram: Bpf counts in the kernel (no event copied out); Tracefs counts here from the tracefs records;
    /// Auto (the default) takes Bpf when Get-TraceCapability Bpf says it is available. The per-request records always come from tracefs.
    /// </summary>
    [Parameter]
    public WatchBackend Backend { get; set; } = WatchBackend.Auto;

    protected override TraceWatcher CreateWatcher() => new BlockIoWatcher(Device);

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (!Histogram && (PerDisk || Backend == WatchBackend.Bpf))
        {
            ThrowTerminatingError(ErrorRecords.Parameter("HistogramParameterWithoutHistogram",
                $"{(PerDisk ? "-PerDisk" : "-Backend Bpf")} works with -Histogram only: the per-request records come from tracefs.", null, "Add -Histogram, or leave the parameter out."));
        }

        if (Histogram && MaxEvents > 0)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("HistogramWithMaxEvents", "-MaxEvents counts records, and -Histogram writes only its buckets at the end.", MaxEvents,
                "Give -Duration to say how long to count, and leave out -MaxEvents."));
        }

        if (Histogram && ParameterSetName == LiveSet && Duration <= TimeSpan.Zero)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("HistogramWithoutDuration", "-Histogram writes its buckets when the watch ends, and only -Duration ends it with output (Ctrl+C stops the pipeline).", null,
                "Give -Duration (for example -Duration 10)."));
        }

        if (Histogram)
        {
            BackendChoice.CheckEarly(this, Backend, HistogramTracefsOnly);
        }
    }

    protected override void EndProcessing()
    {
        if (Histogram && ParameterSetName == LiveSet && BackendChoice.Choose(this, Backend, ProcessId, HistogramTracefsOnly))
        {
            CountInKernel();
            return;
        }

        if (Histogram)
        {
            WriteVerbose("-Histogram counts here, from each request's tracefs record.");
        }

        base.EndProcessing();
    }

    protected override IEnumerable<object> Shape(IEnumerable<object> records) => Histogram ? BlockLatencyHistogram.Count(records, PerDisk) : records;

    /// <summary>The BPF backend: the kernel counts for -Duration, then the counts are read once and written as buckets.</summary>
    private void CountInKernel()
    {
        using BpfBlockLatency counter = Guard(() => BpfBlockLatency.Start(Device, PerDisk));
        WriteVerbose("Backend: BPF program blockio.bpf.o (block_rq_issue to block_rq_complete, counted in the kernel).");
        WriteVerbose(counter.Description);
        WriteVerbose($"Watching: reading the counts at the end of -Duration ({BlockLatencyHistogram.Describe(Duration)}); the kernel counts meanwhile.");
        if (Cancellation.WaitHandle.WaitOne(Duration))
        {
            return; // Ctrl+C: the pipeline takes nothing more.
        }

        IReadOnlyList<BpfBlockLatency.DiskSlots> counts = Guard(counter.Read);
        if (counts.Count == 0)
        {
            WriteVerbose("No block request completed on the watched disks during the watch.");
        }

        WriteObject(BlockLatencyHistogram.FromKernel(counts), enumerateCollection: true);
    }
}
