using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// How many times events fired over a count (Measure-TraceEvent), for one group: the properties the count was
/// grouped by are set, the others are null. Like a line of bpftrace's <c>@[probe, pid, comm] = count()</c>.
/// </summary>
public sealed class EventCount
{
    public EventCount(string? eventName, int? processId, string? command, long count)
    {
        Event = eventName;
        ProcessId = processId;
        Command = command;
        Count = count;
    }

    /// <summary>The event (system:name); null when not grouped by event.</summary>
    public string? Event { get; }

    /// <summary>The process (thread group id) the events fired in; null when not grouped by process.</summary>
    public int? ProcessId { get; }

    /// <summary>The command name (comm) of the thread the events fired in; null when not grouped by command.</summary>
    public string? Command { get; }

    public long Count { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(" ", new[] { Event, ProcessId?.ToString(CultureInfo.InvariantCulture), Command }.Where(p => p is not null))} {Count}");
}
