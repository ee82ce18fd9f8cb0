using PSTrace.Core.Native;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// Turns timestamps of the "mono" trace clock (CLOCK_MONOTONIC, the same on every CPU) into wall-clock
/// times: the offset between the two clocks is taken once, when the watch starts.
/// </summary>
public sealed class TraceClock
{
    /// <summary>The trace_clock a watch session selects in its instance.</summary>
    public const string KernelClockName = "mono";

    private readonly DateTime _epochUtc;

    private TraceClock(DateTime epochUtc) => _epochUtc = epochUtc;

    /// <summary>A clock whose epoch is the moment CLOCK_MONOTONIC was zero.</summary>
    public static TraceClock Now()
    {
        DateTime utc = DateTime.UtcNow;
        ulong mono = Libc.ClockGetTime(Libc.CLOCK_MONOTONIC);
        return new TraceClock(utc.AddTicks(-(long)(mono / 100)));
    }

    /// <summary>For reading saved traces whose clock is unknown: times count from 0001-01-01.</summary>
    public static TraceClock FromEpoch(DateTime epochUtc) => new(epochUtc);

    /// <summary>The local time of a trace timestamp in nanoseconds.</summary>
    public DateTime ToDateTime(ulong nanoseconds) => _epochUtc.AddTicks((long)(nanoseconds / 100)).ToLocalTime();
}
