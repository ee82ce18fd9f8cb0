using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Records;

namespace PSTrace.Tests.FunctionGraph;

/// <summary>
/// One tracer's records out of trace.dat files trace-cmd recorded on a 6.1 kernel, against the records the text
/// readers give for `trace-cmd report` of the same file.
/// </summary>
public sealed class FunctionTracerRecordsTests
{
    [Fact]
    public void FunctionEventsBecomeTheHitsTheReportShows()
    {
        using TraceDatFile file = TraceDatFile.Open(Fixtures.PathOf("6.1/tracecmd-function-vfs.dat"));
        var reader = new FunctionTracerRecords(graph: false, () => file.Kallsyms);
        List<FunctionHit> mine = reader.Read(file.ReadEvents()).OfType<FunctionHit>().ToList();
        List<FunctionHit> theirs = FunctionTraceTextReader.ReadFile(Fixtures.PathOf("6.1/tracecmd-report-function-vfs.txt")).OfType<FunctionHit>().ToList();

        Assert.Equal(14, theirs.Count);
        Assert.Equal(theirs.Count, mine.Count);
        Assert.Equal(mine.Count, reader.Records);
        for (int i = 0; i < mine.Count; i++)
        {
            FunctionHit m = mine[i], t = theirs[i];
            Assert.True((t.Function, t.Cpu, t.ProcessId, t.Command) == (m.Function, m.Cpu, m.ProcessId, m.Command), $"hit {i}: {t} vs {m}");
            // The report prints microseconds.
            Assert.True(Math.Abs((long)t.TimestampNanoseconds!.Value - (long)m.TimestampNanoseconds!.Value) <= 500, $"hit {i}: {t} vs {m}");
        }

        // The report leaves the caller out; the binary record has it, named through the file's kallsyms (%ps: no offset).
        Assert.Equal(("ksys_read", "do_syscall_64"), (mine[0].Function, mine[0].Parent));
        Assert.Equal(("vfs_read", "ksys_read"), (mine[1].Function, mine[1].Parent));
        Assert.Equal(("vfs_write", "ksys_write"), (mine.First(h => h.Function == "vfs_write").Function, mine.First(h => h.Function == "vfs_write").Parent));
    }

    [Fact]
    public void GraphRecordsComeOutAsTreesAndOtherEventsAreCounted()
    {
        using TraceDatFile file = TraceDatFile.Open(Fixtures.PathOf("6.1/tracecmd-fgraph-sched.dat"));
        var reader = new FunctionTracerRecords(graph: true, () => file.Kallsyms);
        List<object> records = reader.Read(file.ReadEvents()).ToList();
        List<FunctionCall> theirs = GraphFixtures.Roots("tracecmd-report-fgraph-sched.txt");

        Assert.All(records, r => Assert.True(r is FunctionCall or TraceLostEvents, r.GetType().Name));
        Assert.Equal(theirs.Count, records.OfType<FunctionCall>().Count());
        Assert.Equal(theirs.Sum(t => t.GetDescendantsAndSelf().Count()), records.OfType<FunctionCall>().Sum(t => t.GetDescendantsAndSelf().Count()));

        // `grep -c sched_switch`/`sched_wakeup` of the report: 566 and 311 (the report's own lines).
        Assert.Equal(566, reader.OthersByName["sched:sched_switch"]);
        Assert.Equal(311, reader.OthersByName["sched:sched_wakeup"]);
        Assert.Equal(566 + 311, reader.Others);
    }

    [Fact]
    public void TheOtherTracersRecordsAreLeftOut()
    {
        using TraceDatFile file = TraceDatFile.Open(Fixtures.PathOf("6.1/tracecmd-function-vfs.dat"));
        var reader = new FunctionTracerRecords(graph: true, () => file.Kallsyms);

        Assert.Empty(reader.Read(file.ReadEvents()).OfType<FunctionCall>());
        Assert.Equal(0, reader.Records);
        Assert.Equal(14, reader.OthersByName["ftrace:function"]);
    }
}
