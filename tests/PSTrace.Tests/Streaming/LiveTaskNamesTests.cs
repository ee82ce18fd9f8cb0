using System.Diagnostics;
using PSTrace.Core.Binary;
using PSTrace.Core.Streaming;

namespace PSTrace.Tests.Streaming;

/// <summary>When the live reader reads saved_cmdlines again: driven by a clock the test sets.</summary>
public sealed class LiveTaskNamesTests
{
    private long _now = 1_000 * Stopwatch.Frequency;
    private int _loads;

    private LiveTaskNames Names() => new(() =>
    {
        _loads++;
        return TaskNames.Parse(_loads == 1 ? "10 before\n" : "10 before\n42 after\n");
    }, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50), () => _now);

    private static long Ms(int ms) => ms * Stopwatch.Frequency / 1000;

    [Fact]
    public void ReadsAgainOnlyForRecordsReadAfterTheCopyAndNotTooOften()
    {
        LiveTaskNames names = Names();
        Assert.Equal("before", names.For(_now).CommandOf(10));
        Assert.Equal(1, names.Reads);

        // A record read before the copy was taken: the copy is fresh enough.
        names.For(_now - Ms(5));
        Assert.Equal(1, names.Reads);

        // Newer records, but the copy is only 20 ms old: no second read yet.
        _now += Ms(20);
        names.For(_now);
        Assert.Equal(1, names.Reads);

        _now += Ms(100);
        Assert.Equal("after", names.For(_now).CommandOf(42));
        Assert.Equal(2, names.Reads);
    }

    [Fact]
    public void AMissingPidWaitsUntilTheKernelHadTimeToSaveIt()
    {
        LiveTaskNames names = Names();
        long read = _now;
        Assert.Equal(TaskNames.Unknown, names.For(read).CommandOf(42));

        Assert.Equal(Ms(50), names.WaitBeforeRetry(read));
        _now += Ms(50);
        Assert.Equal(0, names.WaitBeforeRetry(read));
        Assert.Equal("after", names.Retry().CommandOf(42));

        // Read late enough: a pid still missing is one the kernel never saved; no more waiting.
        Assert.Equal(-1, names.WaitBeforeRetry(read));
    }

    [Fact]
    public void FixedNamesAreNeverReadAgain()
    {
        LiveTaskNames names = LiveTaskNames.Fixed(TaskNames.Parse("7 seven\n"));
        Assert.Equal("seven", names.For(long.MaxValue - 1).CommandOf(7));
        Assert.Equal(-1, names.WaitBeforeRetry(0));
        Assert.Equal(0, names.Reads);
    }
}
