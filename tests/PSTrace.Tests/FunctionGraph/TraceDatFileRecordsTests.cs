using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Records;
using PSTrace.Tests.FunctionGraph;

namespace PSTrace.Tests.FunctionGraph;

/// <summary>
/// function_graph records in trace.dat files recorded by trace-cmd on a 6.1 kernel, built into call
/// trees from the binary funcgraph_entry/funcgraph_exit events, against the trees the text reader
/// builds from `trace-cmd report` of the same file: the same calls, nested the same way.
/// </summary>
public sealed class TraceDatFileRecordsTests
{
    [Theory]
    [InlineData("tracecmd-fgraph-vfs_read.dat", "tracecmd-report-fgraph.txt")]
    [InlineData("tracecmd-fgraph-smp2.dat", "tracecmd-report-fgraph-smp2.txt")]
    public void TreesMatchTheReportOfTheSameFile(string dat, string report)
    {
        using TraceDatFile file = TraceDatFile.Open(Fixtures.PathOf("6.1/" + dat));
        List<FunctionCall> mine = file.ReadRecords().OfType<FunctionCall>().SelectMany(r => r.GetDescendantsAndSelf()).ToList();
        List<FunctionCall> theirs = GraphFixtures.AllCalls(report);

        Assert.Equal(theirs.Count, mine.Count);
        Assert.True(mine.Count > 100, "a capture with calls");
        for (int i = 0; i < mine.Count; i++)
        {
            FunctionCall m = mine[i], t = theirs[i];
            string where = $"call {i}: {t}";
            // An exit names its function in the binary record; the report's "}" does not, so a call whose entry was lost is named only here.
            Assert.True((t.Function ?? m.Function, t.Depth, t.Cpu, t.ProcessId) == (m.Function, m.Depth, m.Cpu, m.ProcessId), where + " vs " + m);
            Assert.True((t.IsEntryLost, t.IsExitLost) == (m.IsEntryLost, m.IsExitLost), where + " vs " + m);
            Assert.True(m.GetParent()?.Function == (t.GetParent() is { } p ? p.Function ?? m.GetParent()?.Function : null), where);

            // The report prints microseconds with three decimals: rettime - calltime to the nanosecond.
            Assert.True(t.DurationNanoseconds == m.DurationNanoseconds, $"{where}: {m.DurationNanoseconds} ns");
            // A start is the entry's time (the report rounds it to microseconds); for a call whose entry was
            // lost it is the exit's time less the duration, within a microsecond of the report's.
            long slack = m.IsEntryLost ? 1000 : 500;
            Assert.True(Math.Abs((long)t.TimestampNanoseconds!.Value - (long)m.TimestampNanoseconds!.Value) <= slack, $"{where}: {m.TimestampNanoseconds} vs {t.TimestampNanoseconds}");
        }
    }

    [Fact]
    public void OtherRecordsPassThroughAndLossIsKept()
    {
        using TraceDatFile file = TraceDatFile.Open(Fixtures.PathOf("6.1/tracecmd-fgraph-vfs_read.dat"));
        List<object> records = file.ReadRecords().ToList();

        // The 1-CPU capture starts with a dropped-events note ("CPU:0 [EVENTS DROPPED]" in the report).
        TraceLostEvents lost = Assert.IsType<TraceLostEvents>(records[0]);
        Assert.Equal(0, lost.Cpu);
        Assert.DoesNotContain(records, r => r is TraceEvent { Name: "funcgraph_entry" or "funcgraph_exit" });
        Assert.Contains(records, r => r is FunctionCall { Function: "vfs_read", Depth: 0 });
    }
}
