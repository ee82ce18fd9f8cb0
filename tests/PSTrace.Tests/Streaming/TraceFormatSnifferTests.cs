using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Streaming;

public class TraceFormatSnifferTests
{
    /// <summary>Every text fixture, with the tracer its name says wrote it.</summary>
    public static TheoryData<string, TraceTextFormat> EveryTextFixture()
    {
        var data = new TheoryData<string, TraceTextFormat>();
        foreach (string dir in new[] { "6.1", "6.18", "perf-tools-examples" })
        {
            foreach (string file in Directory.EnumerateFiles(Fixtures.PathOf(dir), "*.txt").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                if (name is "fgraph-env-info.txt" or "ftrace-event-formats.txt" || name.StartsWith("tracecmd-record-", StringComparison.Ordinal) || name.StartsWith("uprobe-listing", StringComparison.Ordinal))
                {
                    continue; // not trace output: an environment note, format files, trace-cmd's console, a probe listing
                }

                // A graph recorded with sched events (-sched) opens with those events' lines: read as events.
                TraceTextFormat expected = name.StartsWith("fgraph-", StringComparison.Ordinal) || name.StartsWith("tracecmd-report-fgraph", StringComparison.Ordinal) && !name.Contains("-sched", StringComparison.Ordinal)
                    ? TraceTextFormat.FunctionGraph
                    : name.StartsWith("function-", StringComparison.Ordinal) || name.StartsWith("tracecmd-report-function", StringComparison.Ordinal) || name is "functrace_example.txt"
                        ? TraceTextFormat.Function
                        : TraceTextFormat.Events;
                data.Add(dir + "/" + name, expected);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTextFixture))]
    public void TellsTheTracerFromTheFirstLines(string fixture, TraceTextFormat expected)
    {
        IEnumerable<string> head = File.ReadLines(Fixtures.PathOf(fixture)).Take(TraceFormatSniffer.LinesToRead);
        Assert.Equal(expected, TraceFormatSniffer.Detect(head));
    }

    [Fact]
    public void WithoutTheHeader_TheLineShapesDecide()
    {
        // trace_pipe has no "# tracer:" line; these three begin with a graph line, a hit and an event.
        Assert.Equal(TraceTextFormat.FunctionGraph, TraceFormatSniffer.Detect(File.ReadLines(Fixtures.PathOf("6.1/fgraph-vfs_read-trace_pipe.txt"))));
        Assert.Equal(TraceTextFormat.Function, TraceFormatSniffer.Detect(File.ReadLines(Fixtures.PathOf("6.1/function-trace_pipe.txt"))));
        Assert.Equal(TraceTextFormat.Events, TraceFormatSniffer.Detect(File.ReadLines(Fixtures.PathOf("6.18/trace_pipe.txt"))));
    }

    [Fact]
    public void SavedGraphGivesTheSameTreesAsTheGraphReader()
    {
        // fgraph-smp2-trace_pipe.txt starts with a shell error line and a lost-events note before the graph.
        foreach (string name in new[] { "fgraph-vfs_read-default.txt", "fgraph-smp2-trace_pipe.txt", "tracecmd-report-fgraph.txt" })
        {
            using var text = new StreamReader(Fixtures.PathOf("6.1/" + name));
            List<object> saved = SavedTraceReader.Read(text).ToList();
            List<object> direct = Core.FunctionGraph.FunctionGraphTextReader.ReadFile(Fixtures.PathOf("6.1/" + name)).ToList();
            Assert.Equal(direct.Select(Describe), saved.Select(Describe));
        }
    }

    [Fact]
    public void SavedGraph_FirstReadByHand_AndFlat()
    {
        using var text = new StreamReader(Fixtures.PathOf("6.1/fgraph-vfs_read-default.txt"));
        FunctionCall first = SavedTraceReader.Read(text).OfType<FunctionCall>().First();
        Assert.Equal("vfs_read", first.Function);
        Assert.Equal(830_043, first.DurationNanoseconds);
        Assert.Equal(592_168, first.SelfTimeNanoseconds);

        using var again = new StreamReader(Fixtures.PathOf("6.1/fgraph-vfs_read-default.txt"));
        List<FunctionCall> flat = SavedTraceReader.Read(again, flat: true).OfType<FunctionCall>().ToList();
        // one object per "f() {" or "f();" line of the file
        int callLines = File.ReadLines(Fixtures.PathOf("6.1/fgraph-vfs_read-default.txt")).Count(l => l.EndsWith("() {", StringComparison.Ordinal) || l.EndsWith("();", StringComparison.Ordinal));
        Assert.Equal(callLines, flat.Count);
        Assert.Equal(220, flat.Count);
    }

    [Fact]
    public void SavedFunctionTraceGivesHits_AndEventsStayEvents()
    {
        using var hits = new StreamReader(Fixtures.PathOf("6.1/function-filter.txt"));
        Assert.Equal(27, SavedTraceReader.Read(hits).OfType<FunctionHit>().Count());

        using var events = new StreamReader(Fixtures.PathOf("6.18/trace-default.txt"));
        List<object> records = SavedTraceReader.Read(events).ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.True(r is TraceEvent or TraceLostEvents, r.GetType().Name));
    }

    [Fact]
    public void ShortTextIsReadWhole()
    {
        // fewer lines than the sniffer looks at: all of them still come out
        string[] lines = File.ReadLines(Fixtures.PathOf("6.1/function-filter.txt")).Take(15).ToArray();
        int hitLines = lines.Count(l => l.Contains(" <-", StringComparison.Ordinal));
        Assert.Equal(hitLines, SavedTraceReader.Read(new StringReader(string.Join('\n', lines))).OfType<FunctionHit>().Count());
    }

    private static string Describe(object record) => record switch
    {
        FunctionCall c => string.Join(";", c.GetDescendantsAndSelf().Select(x => $"{x.Depth}:{x}")),
        _ => record.ToString() ?? "",
    };
}
