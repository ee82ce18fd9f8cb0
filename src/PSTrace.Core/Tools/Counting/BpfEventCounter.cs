using System.Diagnostics;
using PSTrace.Core.Bpf;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Counting;

/// <summary>
/// Measure-TraceEvent counted in the kernel (Bpf/Programs/count.bpf.c): one program attached to every event asked
/// for, each attachment's cookie its index in the list, counting per (event, process, command) in a BPF map; no
/// event is copied out. The map is read when the count ends into the same records <see cref="EventCountWatcher"/>
/// writes.
/// </summary>
public sealed class BpfEventCounter : BpfCounter
{
    public const string CountsMap = "pstrace_event_counts";
    private const string CountProgram = "pstrace_count_event";

    private readonly IReadOnlyList<EventId> _events;
    private readonly IReadOnlyList<EventCountField> _groupBy;
    private WatchFilter _filter = WatchFilter.None;

    public BpfEventCounter(IEnumerable<EventId> events, IEnumerable<EventCountField> groupBy)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(groupBy);
        _events = events.Distinct().ToList();
        _groupBy = groupBy.ToList();
    }

    public override string ProgramFile => "count";

    /// <summary>None attached by section name: the counting program is attached to each event with its cookie.</summary>
    public override IReadOnlyList<string> Programs => [];

    /// <summary>How long attaching took, for -Verbose (hundreds of tracepoints are attached one by one).</summary>
    public TimeSpan AttachTime { get; private set; }

    public override BpfObject Load(WatchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filter = filter;
        var config = new BpfCountingConfig
        {
            ProcessIds = filter.ProcessIds,
            ExcludedProcessId = filter.ExcludedProcessId,
            FollowChildren = filter.IncludeChildren,
        };
        BpfObject loaded = LoadCounting(config, obj =>
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < _events.Count; i++)
            {
                obj.AttachTracepoint(CountProgram, _events[i].System, _events[i].Name, (ulong)i);
            }

            AttachTime = clock.Elapsed;
        });
        Backend = $"BPF program count.bpf.o attached to {_events.Count} tracepoint(s) in {AttachTime.TotalSeconds:0.00} s, counted in the kernel; no event copied out";
        return loaded;
    }

    protected override string Counted => "event(s)";

    protected override IEnumerable<object> ReadCounts(BpfObject obj)
    {
        var tally = new EventTally(_groupBy, _filter);
        foreach ((byte[] key, ulong[] sums) in BpfCounterMap.ReadAll(obj, CountsMap, EventCountKey.Size, 1))
        {
            EventCountKey k = EventCountKey.Decode(key);
            if (k.Event >= 0 && k.Event < _events.Count)
            {
                tally.Add(_events[k.Event].ToString(), k.ProcessId, k.Command, (long)sums[0]);
            }
        }

        return tally.Counts();
    }
}
