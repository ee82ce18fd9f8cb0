using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Counting;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Measure-TraceEvent: how often tracepoints fire, per event, process or command, like bpftrace's
/// <c>@[probe, comm] = count()</c>: counted in the kernel by one BPF program attached to every event asked for, or,
/// where BPF is missing, counted here from the events of a tracefs session. The counts are written at the end.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "TraceEvent", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(EventCount), typeof(TraceLostEvents))]
public sealed class MeasureTraceEventCommand : WatchCommandBase
{
    private static readonly (string[] Names, string Why) CountTracefsOnly = (["Path", "OutFile", "BufferSizeKb"],
        "the BPF backend counts in the kernel, so there are no events to save to a trace.dat or read from one and no tracefs buffer to size.");

    private readonly List<EventPattern> _patterns = new();
    private IReadOnlyList<EventId> _events = [];

    /// <summary>The events to count (system:event; wildcards, 'syscalls:sys_enter_*').</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EventNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Event { get; set; } = Array.Empty<string>();

    /// <summary>What to count per: one or more of Event, ProcessId and Command. Event by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public EventCountField[] GroupBy { get; set; } = [EventCountField.Event];

    /// <summary>
    /// Bpf counts in the kernel (no event copied out); Tracefs copies every event out of the kernel and counts here;
    /// Auto (the default) takes Bpf when Get-TraceCapability Bpf says it is available.
    /// </summary>
    [Parameter]
    public WatchBackend Backend { get; set; } = WatchBackend.Auto;

    protected override bool LeavesOutSelf => true;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        BackendChoice.CheckEarly(this, Backend, CountTracefsOnly);
        foreach (string text in Event)
        {
            _patterns.Add(Guard(() => EventPattern.Parse(text)));
        }

        if (ParameterSetName == LiveSet)
        {
            IReadOnlyList<EventId> available = Guard(() => AvailableEvents.List(Fs));
            _events = _patterns.SelectMany(p => Guard(() => AvailableEvents.Resolve(available, p))).Distinct().ToList();
            if (_events.Count == 0)
            {
                ThrowTerminatingError(ErrorRecords.Parameter("EventNotFound", $"No event of this kernel matches {string.Join(", ", Event)}.", Event,
                    "Get-TraceEventType lists the events this kernel has; wildcards work (Get-TraceEventType '*exec*')."));
            }

            WriteVerbose($"Counting {_events.Count} event(s).");
        }
    }

    protected override TraceWatcher CreateWatcher() => new EventCountWatcher(_patterns, _events, GroupBy);

    protected override BpfWatcher? CreateBpfWatcher() =>
        BackendChoice.Choose(this, Backend, ProcessId, CountTracefsOnly) ? new BpfEventCounter(_events, GroupBy) : null;
}
