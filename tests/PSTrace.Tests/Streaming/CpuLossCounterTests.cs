using PSTrace.Core.Records;
using PSTrace.Core.Streaming;

namespace PSTrace.Tests.Streaming;

/// <summary>Counts for gaps whose page stored none, from a CPU's lost-event counter as the gaps are met.</summary>
public sealed class CpuLossCounterTests
{
    [Fact]
    public void GivesEachGapWhatTheCounterGrewBySinceTheLastAndTheSumIsTheCountersGrowth()
    {
        var lost = new Dictionary<int, long> { [0] = 5, [1] = 0 };
        var counter = new CpuLossCounter(cpu => lost[cpu], [0, 1]);

        lost[0] = 105;
        TraceLostEvents first = counter.Complete(new TraceLostEvents(0, null, 10));
        lost[0] = 130;
        lost[1] = 7;
        TraceLostEvents second = counter.Complete(new TraceLostEvents(0, null, 20));
        TraceLostEvents other = counter.Complete(new TraceLostEvents(1, null, 30));

        Assert.Equal(100, first.Count); // the 5 lost before reading began are not this reader's
        Assert.Equal(25, second.Count);
        Assert.Equal(7, other.Count);
        Assert.Equal(20UL, second.TimestampNanoseconds);
        Assert.Equal(132, counter.Reported);
    }

    [Fact]
    public void KeepsACountThePageStoredAndCountsItAsReported()
    {
        long total = 0;
        var counter = new CpuLossCounter(_ => total, [0]);

        total = 40;
        Assert.Equal(30, counter.Complete(new TraceLostEvents(0, 30)).Count);
        Assert.Equal(10, counter.Complete(new TraceLostEvents(0, null)).Count);
        Assert.Equal(0, counter.Complete(new TraceLostEvents(0, null)).Count);
    }

    [Fact]
    public void LeavesTheGapUncountedWhenTheCounterCannotBeRead()
    {
        var counter = new CpuLossCounter(_ => null, [0]);

        Assert.Null(counter.Complete(new TraceLostEvents(0, null)).Count);
        Assert.Equal(0, counter.Reported);
    }
}
