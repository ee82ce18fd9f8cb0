using PSTrace.Core.Records;
using PSTrace.Core.Tracers;
using static PSTrace.Tests.FunctionGraph.GraphFixtures;

namespace PSTrace.Tests.Tracers;

public class CallScopeTests
{
    // fgraph-switch-pipe-proc.txt: set_graph_function "vfs_read vfs_write", tasks sh-282, cat-283, sleep-284..286
    private const string Fixture = "fgraph-switch-pipe-proc.txt";

    [Fact]
    public void KeepsTheTreesOfTheFunctionsAskedFor()
    {
        List<FunctionCall> roots = Roots(Fixture);
        var scope = new CallScope(["vfs_read"], null);
        List<FunctionCall> kept = roots.Where(scope.Includes).ToList();
        Assert.NotEmpty(kept);
        Assert.All(kept, r => Assert.Equal("vfs_read", r.Function));
        Assert.Equal(roots.Count(r => r.Function == "vfs_read"), kept.Count);
        Assert.Equal(roots.Count - kept.Count, scope.Excluded);
    }

    [Theory]
    [InlineData("vfs_*")]
    [InlineData("vfs_[rw]*")]
    [InlineData("vfs_?ri?e")]
    public void KernelGlobs(string glob)
    {
        var scope = new CallScope([glob], null);
        Assert.True(scope.Includes(Roots(Fixture).First(r => r.Function == "vfs_write")));
    }

    [Fact]
    public void KeepsTheThreadsAskedFor_AndEveryCallOfAKeptTree()
    {
        var scope = new CallScope([], [283]);
        List<FunctionCall> flat = GraphRecords(Fixture, flat: true).OfType<FunctionCall>().ToList();
        List<FunctionCall> kept = flat.Where(scope.Includes).ToList();
        Assert.NotEmpty(kept);
        Assert.All(kept, c => Assert.Equal(283, c.ProcessId));
        Assert.Equal(flat.Count(c => c.ProcessId == 283), kept.Count);
    }

    [Fact]
    public void FunctionHitsByThread()
    {
        List<FunctionHit> hits = Core.FunctionGraph.FunctionTraceTextReader.ReadFile(Fixtures.PathOf("6.1/function-nopid.txt")).OfType<FunctionHit>().ToList();
        int pid = hits[0].ProcessId;
        var scope = new CallScope(["vfs_read"], [pid]);
        Assert.Equal(hits.Count(h => h.ProcessId == pid), hits.Count(scope.Includes));
    }
}
