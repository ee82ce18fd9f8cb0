using PSTrace.Core.Tracefs;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;

namespace PSTrace;

/// <summary>
/// Records go to the pipeline as they are: their own values (an event's fields, a probe hit's
/// arguments) read as properties through <see cref="RecordValuesAdapter"/>, registered for their
/// types in PSTrace.types.ps1xml, so no per-object property set is built.
/// </summary>
internal static class TraceEventOutput
{
    public static object Wrap(object record) => record;

    /// <summary>Gives a live event its wall-clock time from the session's clock (null: the clock is unknown).</summary>
    public static object Wrap(object record, TraceClock? clock)
    {
        if (clock is not null && record is TraceEvent e)
        {
            e.SetClock(clock);
        }
        else if (clock is not null && record is ProbeHit hit && hit.GetSourceEvent() is { } source)
        {
            source.SetClock(clock);
        }

        return record;
    }
}
