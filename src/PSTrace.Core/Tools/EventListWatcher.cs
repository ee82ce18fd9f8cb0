using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// The watcher of a plain event session (Get-TraceEvent -Name): it enables the events asked for, each with the
/// same kernel filter, and passes what comes back on unchanged.
/// </summary>
public sealed class EventListWatcher : TraceWatcher
{
    private readonly IReadOnlyList<EventId> _events;
    private readonly string? _filter;

    public EventListWatcher(IEnumerable<EventId> events, string? filter = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events.Distinct().ToList();
        _filter = filter;
    }

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        foreach (EventId ev in _events)
        {
            setup.Enable(ev, _filter);

            // Read now, so the first records need no search of every format.
            setup.Catalog.Find(ev.System, ev.Name);
        }

        Backend = $"{_events.Count} event(s)" + (_filter is null ? "" : $" with filter {_filter}");
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events) => events;
}
