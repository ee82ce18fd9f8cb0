using PSTrace.Core.Records;
using PSTrace.Core.Tracers;
using PSTrace.Tests.FunctionGraph;

namespace PSTrace.Tests.Tracers;

/// <summary>
/// -Function, -Exclude, -MaxDepth and -Flat over saved function_graph trees (real 6.1 output, the whole graph of
/// vfs_read and vfs_write of a shell pipeline) and function tracer hits, cut as the kernel's filters would cut them.
/// </summary>
public sealed class CallSelectionTests
{
    private const string Pipeline = "fgraph-switch-pipe.txt";

    private static List<object> Select(CallSelection selection, string fixture = Pipeline) =>
        selection.Apply(GraphFixtures.GraphRecords(fixture)).ToList();

    [Fact]
    public void NothingAskedLeavesTheTreesAsTheyAre()
    {
        List<object> records = GraphFixtures.GraphRecords(Pipeline);

        List<object> selected = new CallSelection([], []).Apply(records).ToList();

        Assert.Equal(records, selected);
    }

    [Fact]
    public void AFunctionInsideTheTreesBecomesARootOfDepthZero()
    {
        List<FunctionCall> all = GraphFixtures.AllCalls(Pipeline);
        int expected = all.Count(c => c.Function == "rw_verify_area");
        Assert.True(expected >= 3, "the fixture reads and writes");

        List<FunctionCall> roots = Select(new CallSelection(["rw_verify_*"], [])).OfType<FunctionCall>().ToList();

        Assert.Equal(expected, roots.Count);
        Assert.All(roots, r => Assert.Equal(("rw_verify_area", 0, (FunctionCall?)null), (r.Function, r.Depth, r.GetParent())));
        Assert.All(roots.SelectMany(r => r.Children), c => Assert.Equal(1, c.Depth));
        FunctionCall original = all.First(c => c.Function == "rw_verify_area");
        Assert.Equal((original.DurationNanoseconds, original.TimestampNanoseconds, original.Children.Count), (roots[0].DurationNanoseconds, roots[0].TimestampNanoseconds, roots[0].Children.Count));
    }

    [Fact]
    public void MaxDepthKeepsThatManyLevelsBelowEachRoot()
    {
        List<FunctionCall> roots = Select(new CallSelection([], [], maxDepth: 2)).OfType<FunctionCall>().ToList();
        List<FunctionCall> whole = GraphFixtures.Roots(Pipeline);

        Assert.Equal(whole.Count, roots.Count);
        Assert.All(roots.SelectMany(r => r.GetDescendantsAndSelf()), c => Assert.True(c.Depth <= 1, c.ToString()));
        Assert.All(roots.SelectMany(r => r.Children), c => Assert.True(c.IsLeaf));
        Assert.Equal(whole.Select(w => w.Children.Count), roots.Select(r => r.Children.Count));
        Assert.Equal(whole.Select(w => w.DurationNanoseconds), roots.Select(r => r.DurationNanoseconds));
        Assert.Contains(whole.SelectMany(w => w.Children), c => !c.IsLeaf);
    }

    [Fact]
    public void ExcludeLeavesAFunctionOutWithWhatItCalls()
    {
        List<FunctionCall> whole = GraphFixtures.AllCalls(Pipeline);
        List<FunctionCall> kept = Select(new CallSelection([], ["rw_verify_area"])).OfType<FunctionCall>().SelectMany(r => r.GetDescendantsAndSelf()).ToList();

        Assert.DoesNotContain(kept, c => c.Function == "rw_verify_area");
        int cut = whole.Where(c => c.Function == "rw_verify_area").Sum(c => c.GetDescendantsAndSelf().Count());
        Assert.Equal(whole.Count - cut, kept.Count);
    }

    [Fact]
    public void FlatWritesEveryCallOfTheSelection()
    {
        List<FunctionCall> trees = Select(new CallSelection(["vfs_write"], [], maxDepth: 3)).OfType<FunctionCall>().ToList();
        List<object> flat = Select(new CallSelection(["vfs_write"], [], maxDepth: 3, flat: true));

        Assert.Equal(trees.SelectMany(t => t.GetDescendantsAndSelf()).Select(c => (c.Function, c.Depth, c.TimestampNanoseconds)),
            flat.OfType<FunctionCall>().Select(c => (c.Function, c.Depth, c.TimestampNanoseconds)));
    }

    [Fact]
    public void TreesWithoutTheFunctionAreCountedAsLeftOut()
    {
        var selection = new CallSelection(["no_such_function"], []);

        Assert.DoesNotContain(Select(selection), r => r is FunctionCall);
        Assert.Equal(GraphFixtures.Roots(Pipeline).Count, selection.Excluded);
    }

    [Fact]
    public void HitsAreKeptByTheFunctionCalled()
    {
        List<object> hits = Core.FunctionGraph.FunctionTraceTextReader.ReadFile(Fixtures.PathOf("6.1/tracecmd-report-function-vfs.txt")).ToList();
        var selection = new CallSelection(["vfs_*"], ["vfs_write"]);

        List<FunctionHit> kept = selection.Apply(hits).OfType<FunctionHit>().ToList();

        Assert.Equal(hits.OfType<FunctionHit>().Count(h => h.Function == "vfs_read"), kept.Count);
        Assert.All(kept, h => Assert.Equal("vfs_read", h.Function));
        Assert.Equal(hits.OfType<FunctionHit>().Count() - kept.Count, selection.Excluded);
    }
}
