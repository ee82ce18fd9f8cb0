using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Counting;

/// <summary>
/// Event counts per (event, process, command), kept by both backends of Measure-TraceEvent, then written grouped by
/// the fields asked for: one <see cref="EventCount"/> per group, most first (then by event, process, command), with
/// the fields not grouped by left null.
/// </summary>
public sealed class EventTally
{
    private readonly Dictionary<(string Event, int ProcessId, string Command), long> _counts = new();
    private readonly IReadOnlyList<EventCountField> _groupBy;
    private readonly WatchFilter _filter;

    /// <param name="groupBy">The fields to count per; at least one.</param>
    /// <param name="filter">Its command names keep the events of matching commands only; its excluded process is left out.</param>
    public EventTally(IEnumerable<EventCountField> groupBy, WatchFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        _groupBy = groupBy.Distinct().ToList();
        if (_groupBy.Count == 0)
        {
            throw new ArgumentException("Events are counted per at least one of Event, ProcessId and Command.", nameof(groupBy));
        }

        _filter = filter ?? WatchFilter.None;
    }

    /// <summary>Adds <paramref name="count"/> firings of <paramref name="eventName"/> in a thread of process <paramref name="processId"/> named <paramref name="command"/>.</summary>
    public void Add(string eventName, int processId, string command, long count = 1)
    {
        if (processId == _filter.ExcludedProcessId || !_filter.MatchesCommand(command))
        {
            return;
        }

        var key = (eventName, processId, command);
        _counts[key] = _counts.GetValueOrDefault(key) + count;
    }

    /// <summary>The counts per group, most first.</summary>
    public IEnumerable<EventCount> Counts()
    {
        bool byEvent = _groupBy.Contains(EventCountField.Event);
        bool byProcess = _groupBy.Contains(EventCountField.ProcessId);
        bool byCommand = _groupBy.Contains(EventCountField.Command);
        return _counts
            .GroupBy(kv => (Event: byEvent ? kv.Key.Event : null, ProcessId: byProcess ? kv.Key.ProcessId : (int?)null, Command: byCommand ? kv.Key.Command : null))
            .Select(g => new EventCount(g.Key.Event, g.Key.ProcessId, g.Key.Command, g.Sum(kv => kv.Value)))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Event, StringComparer.Ordinal)
            .ThenBy(c => c.ProcessId)
            .ThenBy(c => c.Command, StringComparer.Ordinal)
            .ToList();
    }
}
