using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;

namespace PSTrace.Tests.Streaming;

/// <summary>
/// The live merge names tasks from the trace's own fork, exec and switch events, so a comm the kernel's
/// saved_cmdlines lacks is still right. Over the real 2-CPU capture in pages/ (10 forks, 18 execs), read
/// with no saved_cmdlines at all.
/// </summary>
public sealed class LearntTaskNamesTests
{
    private static readonly RingBufferLayout Layout = RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page"));
    private static readonly EventFormatCatalog Formats = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));

    [Fact]
    public void NamesEveryTaskAfterItsExecByTheProgramWithoutSavedCmdlines()
    {
        List<TraceEvent> events = Merge(TaskNames.Empty);
        var after = new Dictionary<int, string>();
        int checkedEvents = 0;
        foreach (TraceEvent e in events)
        {
            if (e.Name == "sched_process_exec")
            {
                string file = (string)e.Fields["filename"]!;
                after[e.ProcessId] = file[(file.LastIndexOf('/') + 1)..];
            }

            if (after.TryGetValue(e.ProcessId, out string? comm))
            {
                Assert.Equal(comm, e.Command);
                checkedEvents++;
            }
        }

        Assert.True(after.Count >= 5, $"{after.Count} execs");
        Assert.True(checkedEvents > after.Count, $"{checkedEvents} events after an exec");
    }

    [Fact]
    public void NamesNineInTenEventsFromTheTraceAloneAndTakesTheKernelsNamesOnlyWhereTheTraceHasNone()
    {
        TaskNames kernel = TaskNames.Parse(Fixtures.Text("6.18/pages/saved_cmdlines"), Fixtures.Text("6.18/pages/saved_tgids"));
        List<TraceEvent> learnt = Merge(TaskNames.Empty);
        List<TraceEvent> withCache = Merge(kernel);

        int named = learnt.Count(e => e.Command != TaskNames.Unknown);
        Assert.True(named > learnt.Count * 9 / 10, $"{named} of {learnt.Count} named from the trace alone");
        // The trace's own names are the task's name at that moment (saved_cmdlines may hold whatever ran last
        // under a reused pid): they win, and the kernel's cache names only what the trace never named.
        Assert.Equal(learnt.Count, withCache.Count);
        for (int i = 0; i < learnt.Count; i++)
        {
            string expected = learnt[i].Command != TaskNames.Unknown ? learnt[i].Command : kernel.CommandOf(withCache[i].ProcessId);
            Assert.Equal(expected, withCache[i].Command);
        }
    }

    private static List<TraceEvent> Merge(TaskNames names)
    {
        var feeds = new[] { Feed.Of(0), Feed.Of(1) };
        using var signal = new ManualResetEventSlim();
        using var merge = new CpuMerge(feeds, Layout, Formats, LiveTaskNames.Fixed(names), signal);
        return merge.Read(CancellationToken.None).OfType<TraceEvent>().ToList();
    }

    private sealed class Feed(int cpu, Queue<byte[]> pages) : ICpuPageFeed
    {
        public static Feed Of(int cpu) => new(cpu, new Queue<byte[]>(File.ReadAllBytes(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw")).Chunk(Layout.PageSize)));

        public int Cpu => cpu;

        public long CaughtUpTicks => long.MaxValue;

        public bool IsFinished => true;

        public Exception? Error => null;

        public bool TryTake(out CapturedPage page)
        {
            bool any = pages.TryDequeue(out byte[]? p);
            page = new CapturedPage(p ?? [], 1);
            return any;
        }

        public void Return(byte[] page)
        {
        }
    }
}
