using PSTrace.Core.Binary;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;
using PSTrace.Tests.FunctionGraph;

namespace PSTrace.Tests.Pictures;

/// <summary>Stacks from the real fixtures, for the picture tests.</summary>
internal static class PictureFixtures
{
    /// <summary>The 6.1 function_graph text captures whose calls have durations (not those made with durations or context-info off).</summary>
    public static TheoryData<string> GraphsWithDurations() => new(
        Directory.GetFiles(Fixtures.PathOf("6.1"), "fgraph-*.txt")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => GraphFixtures.Roots(f).Any(r => r.DurationNanoseconds is not null))
            .Order(StringComparer.Ordinal));

    public static StackCollector Collector() => new(() => KernelSymbols.Empty);

    /// <summary>Every call tree of a 6.1 fixture folded into one collector.</summary>
    public static FoldedStacks FoldGraph(string name)
    {
        StackCollector collector = Collector();
        foreach (FunctionCall root in GraphFixtures.Roots(name))
        {
            collector.AddCallTree(root);
        }

        return collector.Stacks;
    }

    /// <summary>True when every call of the tree has a duration and no call's children add up to more than it (the kernel rounds).</summary>
    public static bool IsWholeAndUnrounded(FunctionCall root) =>
        root.GetDescendantsAndSelf().All(c => c.DurationNanoseconds is { } d
            && c.Children.All(k => k.DurationNanoseconds is not null)
            && c.Children.Sum(k => k.DurationNanoseconds!.Value) <= d);
}
