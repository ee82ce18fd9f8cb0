using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Counts for the gaps the page headers mark without a count. A page says that events were missed
/// before it, and stores how many only when the page has room after its data (a full page has none).
/// The kernel derives that number from the CPU's overrun counter, so the count for a gap is read from
/// per_cpu/cpuN/stats when the gap is met: what the CPU lost since reading began, less what earlier
/// gaps already reported.
/// </summary>
/// <remarks>
/// A count read this way may include events lost just after the gap (they belong to the next one, which
/// then gets fewer): each gap's count is close, and their sum is exact, the kernel's own total.
/// </remarks>
internal sealed class CpuLossCounter
{
    private readonly Func<int, long?> _lostSoFar;
    private readonly Dictionary<int, long> _reported = new();

    /// <param name="lostSoFar">A CPU's lost-event total (overrun plus dropped) now; null when it cannot be read.</param>
    public CpuLossCounter(Func<int, long?> lostSoFar, IEnumerable<int> cpus)
    {
        _lostSoFar = lostSoFar;
        foreach (int cpu in cpus)
        {
            // What was lost before reading began is not this reader's to report.
            _reported[cpu] = lostSoFar(cpu) ?? 0;
        }
    }

    /// <summary>Reads a live buffer's per_cpu/cpuN/stats.</summary>
    public static CpuLossCounter ForBuffer(TraceBuffer buffer, IEnumerable<int> cpus) => new(cpu => Read(buffer, cpu), cpus);

    /// <summary>Events reported by the records that went through <see cref="Complete"/>, over all CPUs.</summary>
    public long Reported { get; private set; }

    /// <summary>The gap with its count: the page's own when it stored one, else what the counters say.</summary>
    public TraceLostEvents Complete(TraceLostEvents gap)
    {
        _reported.TryGetValue(gap.Cpu, out long before);
        long count;
        if (gap.Count is { } stored)
        {
            count = stored;
        }
        else if (_lostSoFar(gap.Cpu) is { } now)
        {
            count = Math.Max(0, now - before);
        }
        else
        {
            return gap;
        }

        _reported[gap.Cpu] = before + count;
        Reported += count;
        return gap.Count == count ? gap : new TraceLostEvents(gap.Cpu, count, gap.TimestampNanoseconds);
    }

    private static long? Read(TraceBuffer buffer, int cpu)
    {
        try
        {
            return CpuBufferStats.ReadCpu(buffer, cpu)?.Lost;
        }
        catch (TraceException)
        {
            return null;
        }
    }
}
