using System.Management.Automation;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;
using PSTrace.Core.Tracers;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Syscall;

namespace PSTrace.Commands;

/// <summary>
/// Watch-Syscall: system calls as they complete, like strace but without ptrace; of every process, of
/// -ProcessId, or of a program it starts (-Command). -Summary counts calls and time per system call, -Histogram
/// their latencies, in the kernel where BPF is available.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "Syscall", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(SyscallEvent), typeof(SyscallSummary), typeof(HistogramBucket), typeof(TraceLostEvents))]
public sealed class WatchSyscallCommand : WatchCommandBase
{
    /// <summary>What the BPF count cannot do, and why.</summary>
    private static readonly (string[] Names, string Why) CountTracefsOnly = (["Path", "OutFile", "BufferSizeKb", "Name"],
        "the BPF backend counts in the kernel per system call and process, so there are no events to save to a trace.dat or read from one, no tracefs buffer to size, and no command names in its counts.");

    private GatedProcess? _program;

    /// <summary>System calls to watch (openat, read, *stat*); all when omitted.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Syscall { get; set; } = Array.Empty<string>();

    /// <summary>Start this program and watch it (and with -IncludeChildren what it starts) until it exits.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    /// <summary>Arguments for the program -Command starts.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Leave the program -Command started running when the watch stops (Ctrl+C) or this pwsh dies.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter LeaveRunning { get; set; }

    /// <summary>Write one summary per system call at the end (calls, errors, time), like strace -c.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Write a log2 histogram of each system call's latency (entry to exit) at the end, as bpftrace's hist() draws it.</summary>
    [Parameter]
    public SwitchParameter Histogram { get; set; }

    /// <summary>
    /// For -Summary and -Histogram: Bpf counts in the kernel (no event copied out); Tracefs copies every call out of
    /// the kernel and counts here; Auto (the default) takes Bpf when Get-TraceCapability Bpf says it is available.
    /// Each call's own record (neither switch) always comes from tracefs.
    /// </summary>
    [Parameter]
    public WatchBackend Backend { get; set; } = WatchBackend.Auto;

    protected override IEnumerable<int> AdditionalProcessIds => _program is null ? [] : [_program.ProcessId];

    protected override bool EndRequested => _program?.HasExited == true;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Summary && Histogram)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("SummaryWithHistogram", "-Summary and -Histogram write different records; give one of them.", null, "Run Watch-Syscall once with -Summary and once with -Histogram."));
        }

        if (Backend == WatchBackend.Bpf && !Summary && !Histogram)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("BackendBpfNeedsCount", "-Backend Bpf counts in the kernel: it makes -Summary and -Histogram, not a record of each call.", Backend,
                "Add -Summary or -Histogram, or leave out -Backend Bpf for each call's record (read through tracefs)."));
        }

        BackendChoice.CheckEarly(this, Backend, CountTracefsOnly);
        if (Command is not null)
        {
            WriteVerbose($"Starting {Command} held at its start.");
            _program = Guard(() => GatedProcess.Start(Command, ArgumentList, GatedProcess.DefaultTimeout, LeaveRunning));
            WriteVerbose(_program.Fate(LeaveRunning));
            if (!LeaveRunning)
            {
                _program.InterruptOn(Cancellation);
            }
        }
        else if (ArgumentList.Length > 0 || LeaveRunning)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("ArgumentsWithoutCommand", $"{(LeaveRunning ? "-LeaveRunning" : "-ArgumentList")} needs -Command.", ArgumentList, "Give the program with -Command."));
        }
    }

    protected override TraceWatcher CreateWatcher() => new SyscallWatcher(Syscall, Summary, Histogram);

    protected override BpfWatcher? CreateBpfWatcher()
    {
        if (!Summary && !Histogram)
        {
            WriteVerbose("Each call's record is read through tracefs (the BPF backend counts: -Summary, -Histogram).");
            return null;
        }

        return BackendChoice.Choose(this, Backend, ProcessId, CountTracefsOnly) ? new BpfSyscallCounter(Syscall, Histogram) : null;
    }

    protected override IEnumerable<object> Shape(IEnumerable<object> records)
    {
        foreach (object record in records)
        {
            if (record is Log2Slots slots)
            {
                foreach (HistogramBucket bucket in HistogramBuilder.FromLog2Slots(slots))
                {
                    yield return bucket;
                }
            }
            else
            {
                yield return record;
            }
        }
    }

    protected override void OnSessionReady()
    {
        if (_program is not null)
        {
            WriteVerbose($"Letting {_program.Program} (pid {_program.ProcessId}) run.");
            Guard(_program.Release);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _program?.Dispose();
        }

        base.Dispose(disposing);
    }
}
