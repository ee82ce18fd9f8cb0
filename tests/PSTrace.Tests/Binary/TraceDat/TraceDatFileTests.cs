using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Binary.TraceDat;

/// <summary>What TraceDatFile reads from the fixtures, checked against what the capture did and what the files say of themselves.</summary>
public sealed class TraceDatFileTests
{
    public static TheoryData<string> Files => TraceDatFixtures.Theory();

    [Theory]
    [InlineData("6.18/tracedat-v7-zstd.dat", 7, "zstd")]
    [InlineData("6.18/tracedat-v7-none.dat", 7, "none")]
    [InlineData("6.18/tracedat-v7-lost.dat", 7, "none")]
    [InlineData("6.18/tracedat-v6.dat", 6, "none")]
    [InlineData("6.18/tracedat-v6-from-zstd.dat", 6, "none")]
    public void HeaderSaysVersionAndCompression(string fixture, int version, string compression)
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf(fixture));
        Assert.Equal(version, dat.Version);
        Assert.Equal(compression, dat.Compression);
        Assert.False(dat.IsBigEndian);
        Assert.Equal(8, dat.LongSize);
        Assert.Equal(4096, dat.PageSize);
        Assert.Equal(2, dat.Cpus);
        Assert.Equal("local", dat.TraceClock);
        Assert.Equal(["", "binary-cap"], dat.Buffers.Select(b => b.Name));
        Assert.Empty(dat.Buffers[0].Cpus);
        Assert.Equal([0, 1], dat.Buffers[1].Cpus.Select(c => c.Cpu));
        Assert.Equal(compression != "none", dat.Buffers[1].IsCompressed);
    }

    [Fact]
    public void ZstdFileListsItsChunkedCpuData()
    {
        // Offsets and sizes as trace-cmd wrote them in the BUFFER option (checked with a hex dump).
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-zstd.dat"));
        Assert.Equal("1.5.4", dat.CompressionVersion);
        TraceDatCpuData[] cpus = dat.Buffers[1].Cpus.ToArray();
        Assert.Equal((0x9000L, 16332L), (cpus[0].Offset, cpus[0].Size));
        Assert.Equal((0xd000L, 3201L), (cpus[1].Offset, cpus[1].Size));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void MetadataHasTheTracedSystems(string fixture)
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf(fixture));

        // The capture hid every system but these (ftrace's own formats come in their own section).
        Assert.Equal(["ftrace", "raw_syscalls", "sched", "signal", "task", "timer"], dat.Formats.Select(f => f.System).Distinct().Order());
        Assert.Empty(dat.Events.ParseFailures);
        Assert.Equal(372, dat.Events.Find("sched", "sched_switch")!.Id);
        Assert.Equal(2337, dat.Kallsyms.Count);
        Assert.True(dat.Cmdlines.Count > 1000);
        Assert.Equal("3.1.6 not-a-git-repo", dat.TraceCmdVersion);
        Assert.StartsWith("Linux ", dat.Uname);
        Assert.True(dat.PrintkFormats.Count > 0);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EventCountsMatchTheKernelsReadCounters(string fixture)
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf(fixture));
        List<object> all = dat.ReadEvents().ToList();

        // per_cpu/cpuN/stats "read events", saved by trace-cmd after it drained the buffer.
        foreach (TraceDatCpuStats stats in dat.CpuStats.Where(s => s.Buffer == "binary-cap"))
        {
            Assert.Equal(stats.ReadEvents, all.OfType<TraceEvent>().Count(e => e.Cpu == stats.Cpu));
        }

        Assert.Equal(4, dat.CpuStats.Count);
        Assert.All(dat.CpuStats.Where(s => s.Buffer == ""), s => Assert.Equal(0, s.ReadEvents));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EventsComeInTimeOrder(string fixture)
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf(fixture));
        ulong[] times = dat.ReadEvents().OfType<TraceEvent>().Select(e => e.TimestampNanoseconds).ToArray();
        Assert.True(times.Length > 100);
        for (int i = 1; i < times.Length; i++)
        {
            Assert.True(times[i - 1] <= times[i], $"event {i} at {times[i]} comes after one at {times[i - 1]}");
        }
    }

    [Fact]
    public void LostEventsCarryTheOverrunCounts()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-lost.dat"));
        List<TraceLostEvents> lost = dat.ReadEvents().OfType<TraceLostEvents>().ToList();

        // A 4 KB buffer per CPU overran; the page headers' stored counts add up to the kernel's overrun counters.
        Assert.Equal([0, 1], lost.Select(l => l.Cpu).Order());
        foreach (TraceDatCpuStats stats in dat.CpuStats.Where(s => s.Buffer == "binary-cap"))
        {
            Assert.True(stats.Overrun > 0);
            Assert.Equal(stats.Overrun, lost.Where(l => l.Cpu == stats.Cpu).Sum(l => l.Count));
        }

        Assert.Equal(5883, lost.Single(l => l.Cpu == 0).Count);
        Assert.Equal(6829, lost.Single(l => l.Cpu == 1).Count);
    }

    [Fact]
    public void ConvertedV6FileHoldsTheSameEventsAsItsV7Source()
    {
        using TraceDatFile v7 = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-zstd.dat"));
        using TraceDatFile v6 = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v6-from-zstd.dat"));
        string[] a = v7.ReadEvents().Select(o => o.ToString()!).ToArray();
        string[] b = v6.ReadEvents().Select(o => o.ToString()!).ToArray();
        Assert.Equal(2586, a.Length);
        Assert.Equal(a, b);
    }

    [Fact]
    public void ReadsOneBufferByName()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        Assert.Equal(1677, dat.ReadEvents("binary-cap").Count());
        Assert.Empty(dat.ReadEvents(""));
        ArgumentException e = Assert.Throws<ArgumentException>(() => dat.ReadEvents("nope"));
        Assert.Contains("\"binary-cap\"", e.Message);
    }

    [Fact]
    public void FieldsAreTypedByTheirFormat()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        List<TraceEvent> events = dat.ReadEvents().OfType<TraceEvent>().ToList();

        TraceEvent sw = events.First(e => e.Name == "sched_switch");
        Assert.Equal("sched", sw.System);
        Assert.IsType<string>(sw.Fields["prev_comm"]);
        Assert.IsType<long>(sw.Fields["prev_pid"]);
        Assert.IsType<long>(sw.Fields["prev_state"]);
        Assert.Equal((long)sw.ProcessId, sw.Fields["prev_pid"]);

        // The workload's `kill -0 2147483000`: kill(2) is 62 and fails with -ESRCH.
        TraceEvent failedKill = events.Single(e => e.Name == "sys_exit" && (long)e.Fields["id"]! == 62 && (long)e.Fields["ret"]! == -3);
        Assert.Equal("bash", failedKill.Command);
        TraceEvent killEnter = events.Last(e => e.Name == "sys_enter" && e.ProcessId == failedKill.ProcessId && e.TimestampNanoseconds < failedKill.TimestampNanoseconds);
        ulong[] args = Assert.IsType<ulong[]>(killEnter.Fields["args"]);
        Assert.Equal([2147483000UL, 0UL], args[..2]);

        // trace_marker and trace_marker_raw.
        TraceEvent print = events.Single(e => e.Name == "print");
        Assert.Equal("ftrace", print.System);
        Assert.Equal("binary fixture marker\n", print.Fields["buf"]);
        TraceEvent raw = events.Single(e => e.Name == "raw_data");
        Assert.Equal(0x2aUL, raw.Fields["id"]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, raw.Fields["buf"]);

        // __data_loc strings, u64, short and bool fields.
        Assert.Contains(events, e => e.Name == "sched_process_exec" && (string)e.Fields["filename"]! == "/bin/ls");
        TraceEvent fork = events.First(e => e.Name == "sched_process_fork");
        Assert.Equal("bash", fork.Fields["parent_comm"]);
        TraceEvent newtask = events.First(e => e.Name == "task_newtask");
        Assert.IsType<ulong>(newtask.Fields["clone_flags"]);
        Assert.Equal(0L, newtask.Fields["oom_score_adj"]);
        TraceEvent timer = events.First(e => e.Name == "hrtimer_start");
        Assert.IsType<bool>(timer.Fields["was_armed"]);
        Assert.IsType<ulong>(timer.Fields["hrtimer"]);
    }

    [Fact]
    public void KallsymsNameTheTimerCallbacks()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        string[] functions = dat.ReadEvents().OfType<TraceEvent>()
            .Where(e => e.Name == "hrtimer_start")
            .Select(e => dat.Kallsyms.Lookup((ulong)e.Fields["function"]!)?.Name ?? "?")
            .Distinct().ToArray();

        // sleep(1) arms hrtimer_wakeup; the scheduler tick is tick_nohz_handler.
        Assert.Contains("hrtimer_wakeup", functions);
        Assert.DoesNotContain("?", functions);
    }

    [Fact]
    public void BodyRendersTheFields()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        TraceEvent exec = dat.ReadEvents().OfType<TraceEvent>().First(e => e.Name == "sched_process_exec");
        Assert.Equal($"filename={exec.Fields["filename"]} pid={exec.ProcessId} old_pid={exec.ProcessId}", exec.Body);
        Assert.Contains(": sched_process_exec: filename=", exec.ToString());
    }

    [Fact]
    public void TwoReadersAtOnceSeeTheSameEvents()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-zstd.dat"));
        string[][] runs = Enumerable.Range(0, 4).AsParallel().Select(_ => dat.ReadEvents().Select(o => o.ToString()!).ToArray()).ToArray();
        Assert.All(runs, r => Assert.Equal(runs[0], r));
        Assert.Equal(2586, runs[0].Length);
    }

    [Fact]
    public void NotATraceDatFileIsRefused()
    {
        TraceDataException e = Assert.Throws<TraceDataException>(() => TraceDatFile.Open(Fixtures.PathOf("6.18/pages/header_page")));
        Assert.Contains("Not a trace.dat file", e.Message);
        Assert.Equal(0, e.Offset);
    }
}
