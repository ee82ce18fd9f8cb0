using System.Collections.Concurrent;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;

namespace PSTrace.Tests.Streaming;

/// <summary>
/// The live merge over the pages of a real 2-CPU capture (pages/cpu0.raw and cpu1.raw, read from
/// trace_pipe_raw), fed as the per-CPU readers would feed them.
/// </summary>
public sealed class CpuMergeTests
{
    private static readonly RingBufferLayout Layout = RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page"));
    private static readonly EventFormatCatalog Formats = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));
    private static readonly TaskNames Names = TaskNames.Parse(Fixtures.Text("6.18/pages/saved_cmdlines"), Fixtures.Text("6.18/pages/saved_tgids"));

    [Fact]
    public void MergesEveryCpuInTimestampOrder()
    {
        var feeds = new[] { FakeFeed.Of(0, finished: true), FakeFeed.Of(1, finished: true) };
        using var signal = new ManualResetEventSlim();
        using var merge = new CpuMerge(feeds, Layout, Formats, LiveTaskNames.Fixed(Names), signal);

        List<TraceEvent> merged = merge.Read(CancellationToken.None).Cast<TraceEvent>().ToList();

        Assert.Equal(1483, merged.Count); // what the kernel's text of the same buffer counts
        List<TraceEvent> expected = Decode(0).Concat(Decode(1)).OrderBy(e => e.TimestampNanoseconds).ThenBy(e => e.Cpu).ToList();
        // Names aside: the merge names tasks from the trace itself where it can (LearntTaskNamesTests).
        Assert.Equal(expected.Select(Unnamed), merged.Select(Unnamed));
        Assert.Contains(merged, e => e.Cpu == 0);
        Assert.Contains(merged, e => e.Cpu == 1);
        Assert.Equal(merged.Count, merge.Records);
    }

    [Fact]
    public async Task WaitsForACpuThatHasNotCaughtUp()
    {
        var ready = FakeFeed.Of(0, finished: false, caughtUp: long.MaxValue);
        var behind = new FakeFeed(1, [], finished: false, caughtUp: long.MinValue);
        using var signal = new ManualResetEventSlim();
        using var merge = new CpuMerge([ready, behind], Layout, Formats, LiveTaskNames.Fixed(Names), signal);
        var output = new ConcurrentQueue<object>();
        using var stop = new CancellationTokenSource();
        Task run = Task.Run(() =>
        {
            foreach (object o in merge.Read(stop.Token))
            {
                output.Enqueue(o);
            }
        });

        // CPU 1 has not yet been found empty after CPU 0's pages were read: it might still hold earlier records.
        await Task.Delay(300);
        Assert.Empty(output);

        behind.CaughtUpTicks = long.MaxValue;
        signal.Set();
        SpinWait.SpinUntil(() => output.Count == Decode(0).Count, TimeSpan.FromSeconds(30));
        stop.Cancel();
        await run;
        Assert.Equal(Decode(0).Select(Unnamed), output.Cast<TraceEvent>().Select(Unnamed));
    }

    [Fact]
    public void AFailedReaderEndsTheMergeWithItsError()
    {
        var failed = new FakeFeed(1, [], finished: true, caughtUp: long.MinValue) { Error = new IOException("read(trace_pipe_raw) failed") };
        using var signal = new ManualResetEventSlim();
        using var merge = new CpuMerge([FakeFeed.Of(0, finished: true), failed], Layout, Formats, LiveTaskNames.Fixed(Names), signal);

        IOException e = Assert.Throws<IOException>(() => merge.Read(CancellationToken.None).ToList());
        Assert.Contains("CPU 1", e.Message);
    }

    /// <summary>An event as the kernel prints it, without the task's name.</summary>
    private static string Unnamed(TraceEvent e) => e.ToString()[e.Command.Length..];

    private static List<TraceEvent> Decode(int cpu)
    {
        using FileStream raw = File.OpenRead(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw"));
        return new RingBufferPageDecoder(Layout, Formats, Names).ReadPages(raw, cpu).Cast<TraceEvent>().ToList();
    }

    private sealed class FakeFeed(int cpu, IEnumerable<byte[]> pages, bool finished, long caughtUp) : ICpuPageFeed
    {
        private readonly ConcurrentQueue<CapturedPage> _pages = new(pages.Select(p => new CapturedPage(p, 1)));

        public static FakeFeed Of(int cpu, bool finished, long caughtUp = long.MinValue)
        {
            byte[] all = File.ReadAllBytes(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw"));
            return new FakeFeed(cpu, all.Chunk(Layout.PageSize), finished, caughtUp);
        }

        public int Cpu => cpu;

        public long CaughtUpTicks { get; set; } = caughtUp;

        public bool IsFinished => finished;

        public Exception? Error { get; init; }

        public bool TryTake(out CapturedPage page) => _pages.TryDequeue(out page);

        public void Return(byte[] page)
        {
        }
    }
}
