using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;

namespace PSTrace.Tests.FunctionGraph;

public class FunctionTraceTextReaderTests
{
    private static List<FunctionHit> Hits(string name) =>
        FunctionTraceTextReader.ReadFile(Fixtures.PathOf("6.1/" + name)).OfType<FunctionHit>().ToList();

    [Fact]
    public void PlainLines()
    {
        // "             cat-385     [000] .....   216.375196: do_sys_openat2 <-__x64_sys_openat"
        List<FunctionHit> hits = Hits("function-filter.txt");
        Assert.Equal(27, hits.Count); // "entries-in-buffer/entries-written: 27/27"
        FunctionHit first = hits[0];
        Assert.Equal(("do_sys_openat2", "__x64_sys_openat"), (first.Function, first.Parent));
        Assert.Equal((385, "cat", 0), (first.ProcessId, first.Command, first.Cpu!.Value));
        Assert.Equal(216_375_196_000UL, first.TimestampNanoseconds);
        Assert.Equal(".....", first.Flags);
        Assert.Null(first.ThreadGroupId);
        Assert.Empty(first.StackTrace);
        Assert.Equal(["do_sys_openat2", "ksys_read", "vfs_read", "vfs_write"], hits.Select(h => h.Function).Distinct().Order());
        Assert.Equal("cat-385 [000] 216.375196: do_sys_openat2 <-__x64_sys_openat", first.ToString());
    }

    [Theory]
    [InlineData("function-tgid.txt", 391, 217.042089)]      // "cat-391     (-------) [000] ....."
    [InlineData("function-noirqinfo.txt", 397, 217.748469)] // no flag columns
    [InlineData("function-symoffset.txt", 409, 219.203728)] // "do_sys_openat2+0x0/0x170 <-__x64_sys_openat+0x6a/0xa0"
    [InlineData("function-symaddr.txt", 415, 219.925172)]   // "do_sys_openat2 <ffffffff8b563fa0> <-__x64_sys_openat <ffffffff8b56469a>"
    [InlineData("function-trace_pipe.txt", 443, 223.837470)]
    public void OptionVariants_SameHits(string fixture, int pid, double seconds)
    {
        List<FunctionHit> hits = Hits(fixture);
        Assert.Equal(fixture == "function-trace_pipe.txt" ? 21 : 27, hits.Count);
        Assert.Equal(("do_sys_openat2", "__x64_sys_openat"), (hits[0].Function, hits[0].Parent));
        Assert.Equal(pid, hits[0].ProcessId);
        Assert.Equal((decimal)seconds, hits[0].Timestamp);
        Assert.Contains(hits, h => h is { Function: "vfs_read", Parent: "ksys_read" });
        Assert.Equal(fixture == "function-noirqinfo.txt" ? null : ".....", hits[0].Flags);
        Assert.All(hits, h => Assert.Null(h.ThreadGroupId)); // record-tgid printed "(-------)": not known
    }

    [Fact]
    public void LatencyFormat_TimesSinceTheTraceBegan()
    {
        // "     cat-403       0..... 32120us*: do_sys_openat2 <-__x64_sys_openat"
        List<FunctionHit> hits = Hits("function-latency.txt");
        Assert.Equal(27, hits.Count);
        Assert.Equal((403, 0, "....."), (hits[0].ProcessId, hits[0].Cpu!.Value, hits[0].Flags!));
        Assert.Equal(32_120_000UL, hits[0].TimestampNanoseconds);
        Assert.Equal(50_772_000UL, hits[3].TimestampNanoseconds); // "50772us : ksys_read" (no delay mark)
    }

    [Fact]
    public void CounterClock_PlainCounts()
    {
        List<FunctionHit> hits = Hits("function-counter.txt");
        Assert.Equal([411UL, 412UL, 413UL], hits.Take(3).Select(h => h.TimestampNanoseconds!.Value));
    }

    [Fact]
    public void StackTraces_AttachToTheirHit()
    {
        List<FunctionHit> hits = Hits("function-stacktrace.txt");
        Assert.Equal(27, hits.Count);
        Assert.Equal(
            ["0xffffffffc0464083", "do_sys_openat2", "__x64_sys_openat", "do_syscall_64", "entry_SYSCALL_64_after_hwframe"],
            hits[0].StackTrace);
        // each stack names the hit's function just under the tracer's own frame
        Assert.All(hits, h => Assert.Equal(h.Function, h.StackTrace[1]));
        Assert.All(hits, h => Assert.Equal("entry_SYSCALL_64_after_hwframe", h.StackTrace[^1]));
    }

    [Fact]
    public void SeveralTasksAndCpus()
    {
        List<FunctionHit> nopid = Hits("function-nopid.txt");
        Assert.Equal(54, nopid.Count);
        Assert.Equal(["bash", "cat", "sh", "sleep"], nopid.Select(h => h.Command).Distinct().Order());

        List<FunctionHit> smp = Hits("function-smp2.txt");
        Assert.Equal([0, 1], smp.Select(h => h.Cpu!.Value).Distinct().Order());
        Assert.Contains(smp, h => h is { ProcessId: 221, Cpu: 1, Function: "vfs_read", Parent: "ksys_read" });
    }

    [Fact]
    public void TraceCmdReport_NoParents()
    {
        List<FunctionHit> hits = Hits("tracecmd-report-function.txt");
        Assert.Equal(11, hits.Count);
        Assert.Equal(("do_sys_openat2", 498, 273_792_070_000UL), (hits[0].Function, hits[0].ProcessId, hits[0].TimestampNanoseconds!.Value));
        Assert.All(hits, h => Assert.Null(h.Parent));
        Assert.All(hits, h => Assert.Null(h.Flags));
    }

    [Fact]
    public void GraphOutputIsNotMistakenForHits()
    {
        var reader = new FunctionTraceTextReader();
        List<object> records = reader.Read(new StreamReader(Fixtures.PathOf("6.1/fgraph-vfs_read-default.txt"))).ToList();
        Assert.Empty(records);
        Assert.True(reader.UnrecognizedLines > 0);
    }
}
