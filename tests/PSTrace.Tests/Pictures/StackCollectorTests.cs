using PSTrace.Core.Binary;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;
using PSTrace.Tests.FunctionGraph;
using PSTrace.Tests.Text;

namespace PSTrace.Tests.Pictures;

public sealed class StackCollectorTests
{
    [Theory]
    [MemberData(nameof(PictureFixtures.GraphsWithDurations), MemberType = typeof(PictureFixtures))]
    public void EachCallAddsItsSelfTimeSoATreeAddsUpToItsDuration(string fixture)
    {
        List<FunctionCall> roots = GraphFixtures.Roots(fixture);
        List<FunctionCall> whole = roots.Where(r => r.GetDescendantsAndSelf().All(c => c.DurationNanoseconds is not null)).ToList();
        Assert.NotEmpty(whole);

        int unrounded = 0;
        foreach (FunctionCall root in whole)
        {
            StackCollector collector = PictureFixtures.Collector();
            Assert.True(collector.AddCallTree(root));
            long folded = collector.Stacks.Total;

            // The folded value of every frame is the call's SelfTime, whatever the kernel's rounding did...
            Assert.Equal(root.GetDescendantsAndSelf().Sum(c => c.SelfTimeNanoseconds!.Value), folded);
            if (PictureFixtures.IsWholeAndUnrounded(root))
            {
                // ...and where no call's children add up to more than it, the tree adds up to its duration.
                Assert.Equal(root.DurationNanoseconds!.Value, folded);
                unrounded++;
            }
        }

        Assert.True(unrounded > 0, $"{fixture}: no tree without rounding to check the sum on");
    }

    [Fact]
    public void AFramesWidthIsTheCallsInclusiveTime()
    {
        FunctionCall root = GraphFixtures.Roots("fgraph-vfs_read-default.txt")[0];
        Assert.True(PictureFixtures.IsWholeAndUnrounded(root));
        StackCollector collector = PictureFixtures.Collector();
        collector.AddCallTree(root);

        IReadOnlyList<FlameFrame> frames = FlameLayout.Lay(collector.Stacks);

        FunctionCall verify = root.Child("rw_verify_area");
        Assert.Equal(root.DurationNanoseconds, frames.Single(f => f.Depth == 1).Value);
        Assert.Equal(verify.DurationNanoseconds, frames.Single(f => f.Depth == 2 && f.Name == "rw_verify_area").Value);
        Assert.Equal(GraphFixtures.Micro(191.877), verify.DurationNanoseconds);

        // aa_file_perm: 159.519 us, of which its two calls took 32.659 and 2.554.
        KeyValuePair<string, long> own = collector.Stacks.Sorted().Single(s => s.Key.EndsWith(";aa_file_perm", StringComparison.Ordinal));
        Assert.Equal("vfs_read;rw_verify_area;security_file_permission;apparmor_file_permission;aa_file_perm", own.Key);
        Assert.Equal(GraphFixtures.Micro(159.519 - 32.659 - 2.554), own.Value);
    }

    [Fact]
    public void FlatOutputFoldsAsTheTreesDo()
    {
        StackCollector trees = PictureFixtures.Collector();
        foreach (FunctionCall root in GraphFixtures.Roots("fgraph-smp2.txt"))
        {
            trees.AddCallTree(root);
        }

        StackCollector flat = PictureFixtures.Collector();
        foreach (FunctionCall call in GraphFixtures.GraphRecords("fgraph-smp2.txt", flat: true).OfType<FunctionCall>())
        {
            Assert.True(flat.AddCallTree(call));
        }

        Assert.Equal(trees.Stacks.Sorted(), flat.Stacks.Sorted());
        Assert.Equal(FlameValueUnit.Nanoseconds, flat.Stacks.Unit);
    }

    [Fact]
    public void ATreeWithNoTimeAtAllIsRefused()
    {
        FunctionCall root = GraphFixtures.Roots("fgraph-vfs_read-noduration.txt")[0];
        StackCollector collector = PictureFixtures.Collector();

        Assert.False(collector.AddCallTree(root));
        Assert.Equal(0, collector.Stacks.Total);
    }

    [Fact]
    public void KernelStackEventsAreOneSampleEachOutermostFrameFirst()
    {
        List<TraceEvent> events = TextFixtures.Events("6.18/trace-stacktrace.txt");
        List<TraceEvent> stacks = events.Where(StackCollector.IsStackEvent).ToList();
        StackCollector collector = PictureFixtures.Collector();
        foreach (TraceEvent e in events)
        {
            Assert.Equal(StackCollector.IsStackEvent(e), collector.AddStackEvent(e));
        }

        Assert.Equal(stacks.Count, collector.Stacks.Total);
        Assert.Equal(FlameValueUnit.Samples, collector.Stacks.Unit);
        string[] first = (string[])stacks[0].Fields["stack"]!;
        Assert.Equal("entry_SYSCALL_64_after_hwframe", first[^1]);
        Assert.Contains(collector.Stacks.Sorted(), s => s.Key == string.Join(';', Enumerable.Reverse(first)));
        var expected = stacks.GroupBy(e => string.Join(';', Enumerable.Reverse((string[])e.Fields["stack"]!)))
            .Select(g => new KeyValuePair<string, long>(g.Key, g.Count())).OrderBy(p => p.Key, StringComparer.Ordinal);
        Assert.Equal(expected, collector.Stacks.Sorted());
    }

    [Fact]
    public void UserStackEventsKeepTheirAddresses()
    {
        StackCollector collector = PictureFixtures.Collector();
        foreach (TraceEvent e in TextFixtures.Events("6.18/trace-userstacktrace.txt").Where(StackCollector.IsStackEvent))
        {
            Assert.True(collector.AddStackEvent(e));
        }

        Assert.Contains(collector.Stacks.Sorted(), s => s.Key == "<00005611e625f9ee>;<00007f8e5b6dcfc0>");
    }

    [Fact]
    public void BinaryStackAddressesAreNamedThroughTheKernelsSymbols()
    {
        // The binary pages give ftrace:kernel_stack as the addresses in "caller", "size" of them in use.
        KernelSymbols symbols = KernelSymbols.Parse(Fixtures.Text("6.18/kallsyms-excerpt.txt"));
        KernelSymbol entry = symbols.Symbols.First(s => s.Name == "__entry_text_start");
        var fields = new Dictionary<string, object?> { ["size"] = 2, ["caller"] = new ulong[] { entry.Address + 4, 0x10, 0, 0 } };
        var e = new TraceEvent(1, 0, 1, null, "cat", "", "ftrace", "kernel_stack", fields, "", null);
        var collector = new StackCollector(() => symbols);

        Assert.True(collector.AddStackEvent(e));
        Assert.Equal("0x10;__entry_text_start", Assert.Single(collector.Stacks.Sorted()).Key);
    }

    [Fact]
    public void CountsAndTimesAreKeptApart()
    {
        StackCollector collector = PictureFixtures.Collector();
        collector.AddStack(["leaf", "root"], 3, FlameValueUnit.Samples);
        Assert.False(collector.IsMixed);
        collector.AddCallTree(GraphFixtures.Roots("fgraph-vfs_read-default.txt")[0]);

        Assert.True(collector.IsMixed);
        Assert.False(collector.AddStack([], 3, FlameValueUnit.Samples));
        Assert.False(collector.AddStack(["a"], 0, FlameValueUnit.Samples));
    }

    [Fact]
    public void FoldedLinesAreReadBack()
    {
        FoldedStacks original = PictureFixtures.FoldGraph("fgraph-vfs_read-default.txt");
        var text = new StringWriter();
        original.WriteTo(text);
        StackCollector collector = PictureFixtures.Collector();
        foreach (string line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(collector.AddFoldedLine(line));
        }

        Assert.Equal(original.Sorted(), collector.Stacks.Sorted());
        Assert.False(collector.AddFoldedLine("not a folded line"));
    }
}
