using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Counting;

/// <summary>
/// Measure-TraceEvent's tracefs backend: the events are enabled in the session's instance and counted here as
/// they are read, per (event, process, command); the counts are written when the read ends. Where BPF is
/// available <see cref="BpfEventCounter"/> counts the same in the kernel.
/// </summary>
public sealed class EventCountWatcher : TraceWatcher
{
    private readonly IReadOnlyList<EventPattern> _patterns;
    private readonly IReadOnlyList<EventId> _events;
    private readonly IReadOnlyList<EventCountField> _groupBy;
    private WatchFilter _filter = WatchFilter.None;

    /// <param name="patterns">The events asked for: a saved trace's events are counted when one matches.</param>
    /// <param name="events">The live kernel's events they name, to enable (none for a saved trace).</param>
    public EventCountWatcher(IEnumerable<EventPattern> patterns, IEnumerable<EventId> events, IEnumerable<EventCountField> groupBy)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(groupBy);
        _patterns = patterns.ToList();
        _events = events.Distinct().ToList();
        _groupBy = groupBy.ToList();
    }

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _filter = setup.Filter;
        foreach (EventId ev in _events)
        {
            setup.Enable(ev, byCommand: true);
        }

        Backend = $"{_events.Count} tracefs event(s) in the session's instance, each copied out and counted here";
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var tally = new EventTally(_groupBy, _filter);
        var commands = new CommandTracker();
        foreach (object item in events)
        {
            if (item is TraceEvent ev)
            {
                if (!_patterns.Any(p => p.Matches(new EventId(ev.System, ev.Name))))
                {
                    continue; // a saved trace's other events, or the commands' tracking events
                }

                tally.Add(ev.System + ":" + ev.Name, EventFields.ProcessOf(ev), commands.CommandOf(ev));
            }
            else
            {
                yield return item;
            }
        }

        foreach (EventCount count in tally.Counts())
        {
            yield return count;
        }
    }
}
