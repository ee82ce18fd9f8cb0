using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;
using PSTrace.Core.Tracers;

namespace PSTrace.Tests.Sessions;

/// <summary>
/// Start-FunctionGraph/Start-FunctionTrace -Path: a trace.dat file trace-cmd recorded on a 6.1 kernel and
/// `trace-cmd report` of it read through <see cref="EventSource.OpenSaved"/> give the same records.
/// </summary>
public sealed class FunctionTraceReaderTests
{
    private static List<object> Read(string fixture, bool graph, CallSelection selection)
    {
        using EventSource source = EventSource.OpenSaved(Fixtures.PathOf("6.1/" + fixture), null, records: true,
            textFormat: graph ? TraceTextFormat.FunctionGraph : TraceTextFormat.Function);
        return new FunctionTraceReader(source, graph, selection: selection).Read(CancellationToken.None).ToList();
    }

    [Fact]
    public void TraceDatAndItsReportGiveTheSameCalls()
    {
        // The report starts with sched events: read as function_graph text all the same, because that is what is asked for.
        var selection = new CallSelection(["vfs_write"], [], maxDepth: 2, flat: true);
        List<FunctionCall> dat = Read("tracecmd-fgraph-sched.dat", true, selection).OfType<FunctionCall>().ToList();
        List<FunctionCall> text = Read("tracecmd-report-fgraph-sched.txt", true, new CallSelection(["vfs_write"], [], maxDepth: 2, flat: true)).OfType<FunctionCall>().ToList();

        Assert.True(dat.Count > 5, $"{dat.Count} calls");
        Assert.Equal(text.Select(c => (c.Function, c.Depth, c.ProcessId, c.DurationNanoseconds)), dat.Select(c => (c.Function, c.Depth, c.ProcessId, c.DurationNanoseconds)));
        Assert.All(dat, c => Assert.True(c.Depth <= 1));
    }

    [Fact]
    public void TraceDatAndItsReportGiveTheSameHits()
    {
        List<FunctionHit> dat = Read("tracecmd-function-vfs.dat", false, new CallSelection(["ksys_*"], [])).OfType<FunctionHit>().ToList();
        List<FunctionHit> text = Read("tracecmd-report-function-vfs.txt", false, new CallSelection(["ksys_*"], [])).OfType<FunctionHit>().ToList();

        Assert.Equal(6, dat.Count); // `grep -c ksys_` of the report
        Assert.Equal(text.Select(h => (h.Function, h.ProcessId, h.Command)), dat.Select(h => (h.Function, h.ProcessId, h.Command)));
    }

    [Fact]
    public void AFileOfTheOtherTracerGivesNoRecords()
    {
        using EventSource source = EventSource.OpenSaved(Fixtures.PathOf("6.1/tracecmd-fgraph-vfs_read.dat"), null, records: true);
        var reader = new FunctionTraceReader(source, graph: false, selection: new CallSelection([], []));

        Assert.DoesNotContain(reader.Read(CancellationToken.None), r => r is FunctionHit or FunctionCall);
        Assert.Equal(0, reader.Records.Records);
        Assert.True(reader.Records.Others > 0);
    }
}
