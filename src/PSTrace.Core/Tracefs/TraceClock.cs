using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// Turns timestamps of the "mono" trace clock (CLOCK_MONOTONIC, the same on every CPU) into wall-clock
/// times: the offset between the two clocks is taken once, when the watch starts.
/// </summary>
public sealed class TraceClock
{
    /// <summary>The trace_clock a watch session selects in its instance.</summary>
    public const string KernelClockName = "mono";

    private readonly DateTime? _epochUtc;

    private TraceClock(DateTime? epochUtc) => _epochUtc = epochUtc;

    /// <summary>A clock whose epoch is the moment CLOCK_MONOTONIC was zero.</summary>
    public static TraceClock Now()
    {
        DateTime utc = DateTime.UtcNow;
        ulong mono = Libc.ClockGetTime(Libc.CLOCK_MONOTONIC);
        return new TraceClock(utc.AddTicks(-(long)(mono / 100)));
    }

    /// <summary>Selects the mono clock in a session's own instance and takes its offset from the real-time clock.</summary>
    public static TraceClock SelectIn(TraceSession session)
    {
        session.WriteInstanceFile("trace_clock", KernelClockName);
        return Now();
    }

    /// <summary>A clock whose epoch is known from elsewhere (a saved trace that records its clock offset).</summary>
    public static TraceClock FromEpoch(DateTime epochUtc) => new(epochUtc);

    /// <summary>
    /// For saved traces that do not say when their clock was zero: records get no wall-clock time (null)
    /// rather than a made-up one; their kernel timestamp stays exact.
    /// </summary>
    public static TraceClock Unknown { get; } = new(null);

    /// <summary>When the trace clock was zero (UTC); null when unknown.</summary>
    public DateTime? EpochUtc => _epochUtc;

    /// <summary>The epoch as nanoseconds since the Unix epoch, for a saved trace to keep; null when unknown.</summary>
    public long? EpochUnixNanoseconds => _epochUtc is { } e ? (e - DateTime.UnixEpoch).Ticks * 100 : null;

    /// <summary>The local time of a trace timestamp in nanoseconds; null when the clock's epoch is unknown.</summary>
    public DateTime? ToDateTime(ulong nanoseconds) => _epochUtc?.AddTicks((long)(nanoseconds / 100)).ToLocalTime();
}
