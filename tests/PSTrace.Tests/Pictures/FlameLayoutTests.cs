using PSTrace.Core.Pictures;

namespace PSTrace.Tests.Pictures;

public sealed class FlameLayoutTests
{
    [Theory]
    [MemberData(nameof(PictureFixtures.GraphsWithDurations), MemberType = typeof(PictureFixtures))]
    public void FramesNestAndAreSortedAlphabeticallyPerLevel(string fixture)
    {
        FoldedStacks stacks = PictureFixtures.FoldGraph(fixture);
        IReadOnlyList<FlameFrame> frames = FlameLayout.Lay(stacks);

        FlameFrame root = frames[0];
        Assert.Equal((FlameLayout.RootName, 0, 0L, stacks.Total), (root.Name, root.Depth, root.Start, root.End));
        var byDepth = frames.ToLookup(f => f.Depth);
        foreach (FlameFrame frame in frames.Where(f => f.Depth > 0))
        {
            // Exactly one parent holds it, and the parent is at least as wide as its children together.
            FlameFrame parent = Assert.Single(byDepth[frame.Depth - 1], p => p.Start <= frame.Start && frame.End <= p.End);
            List<FlameFrame> siblings = byDepth[frame.Depth].Where(s => s.Start >= parent.Start && s.End <= parent.End).ToList();
            Assert.True(siblings.Sum(s => s.Value) <= parent.Value);

            // Side by side in ordinal order, no two with one name: the order flamegraph.pl draws them in.
            Assert.Equal(siblings.Select(s => s.Name).Order(StringComparer.Ordinal), siblings.Select(s => s.Name));
            Assert.Equal(siblings.Count, siblings.Select(s => s.Name).Distinct().Count());
        }
    }

    [Fact]
    public void AStackMergesWithTheOnesBeforeItAsFarAsTheyAgree()
    {
        var stacks = new FoldedStacks(FlameValueUnit.Samples);
        stacks.AddFolded("main;work;b", 2);
        stacks.AddFolded("main;work;a", 3);
        stacks.AddFolded("main;idle", 5);
        stacks.AddFolded("main", 1);

        var frames = FlameLayout.Lay(stacks).Select(f => (f.Name, f.Depth, f.Start, f.End)).ToList();

        Assert.Equal(
        [
            ("all", 0, 0L, 11L),
            ("main", 1, 0L, 11L),
            ("idle", 2, 1L, 6L),
            ("work", 2, 6L, 11L),
            ("a", 3, 6L, 9L),
            ("b", 3, 9L, 11L),
        ], frames);
    }
}
