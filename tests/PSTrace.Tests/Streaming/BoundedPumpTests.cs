using PSTrace.Core.Streaming;

namespace PSTrace.Tests.Streaming;

/// <summary>The reader thread's queue: order kept, back-pressure counted instead of items dropped, errors passed on, stop honoured.</summary>
public sealed class BoundedPumpTests
{
    [Fact]
    public void EveryItemArrivesInOrderThenTheQueueCompletes()
    {
        using var pump = new BoundedPump<int>(_ => Enumerable.Range(0, 10_000), 64, CancellationToken.None);
        var taken = new List<int>();
        while (pump.TryTake(out int item, 5000))
        {
            taken.Add(item);
        }

        Assert.True(pump.IsCompleted);
        Assert.Equal(Enumerable.Range(0, 10_000), taken);
    }

    [Fact]
    public void AFullQueueMakesTheProducerWaitAndCountsIt()
    {
        // Capacity 4 and a consumer that has not started: the producer must wait rather than drop.
        using var pump = new BoundedPump<int>(_ => Enumerable.Range(0, 100), 4, CancellationToken.None);
        SpinWait.SpinUntil(() => pump.Waits > 0, TimeSpan.FromSeconds(10));
        Assert.True(pump.Waits > 0);

        int count = 0;
        while (pump.TryTake(out _, 5000))
        {
            count++;
        }

        Assert.Equal(100, count);
    }

    [Fact]
    public void TheProducersFailureReachesTheConsumerAfterItsItems()
    {
        using var pump = new BoundedPump<int>(Failing, 16, CancellationToken.None);
        Assert.True(pump.TryTake(out int first, 5000));
        Assert.Equal(1, first);

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => pump.TryTake(out _, 5000));
        Assert.IsType<IOException>(e.InnerException);
        Assert.Contains("pipe broke", e.Message);
    }

    [Fact]
    public void StopEndsAnEndlessProducer()
    {
        var pump = new BoundedPump<int>(Endless, 16, CancellationToken.None);
        Assert.True(pump.TryTake(out _, 5000));

        pump.Stop();
        pump.Dispose();
    }

    [Fact]
    public void TheCallersCancellationStopsTheProducer()
    {
        using var cancel = new CancellationTokenSource();
        using var pump = new BoundedPump<int>(Endless, 16, cancel.Token);
        Assert.True(pump.TryTake(out _, 5000));

        cancel.Cancel();
        while (pump.TryTake(out _, 5000))
        {
        }

        Assert.True(pump.IsCompleted);
    }

    private static IEnumerable<int> Failing(CancellationToken cancel)
    {
        yield return 1;
        throw new IOException("pipe broke");
    }

    private static IEnumerable<int> Endless(CancellationToken cancel)
    {
        for (int i = 0; !cancel.IsCancellationRequested; i++)
        {
            yield return i;
        }
    }
}
