namespace PSTrace.Core.Pictures;

/// <summary>One box of a flame graph: a frame at a depth, spanning [Start, End) of the graph's values.</summary>
public sealed record FlameFrame(string Name, int Depth, long Start, long End)
{
    /// <summary>The frame's own width in the graph's values: its samples, or its inclusive time.</summary>
    public long Value => End - Start;
}

/// <summary>
/// Lays folded stacks out as flamegraph.pl does: the stacks in ordinal order, each stack's frames merged
/// with the previous stack's as far as they agree, so a frame's children stand in the order their stacks
/// sort in (alphabetical per level) and a frame is as wide as the sum of the stacks through it.
/// </summary>
public static class FlameLayout
{
    /// <summary>The name of the frame at depth 0 that spans the whole graph, as flamegraph.pl names it.</summary>
    public const string RootName = "all";

    /// <summary>Every frame, the root first, then by depth and start.</summary>
    public static IReadOnlyList<FlameFrame> Lay(FoldedStacks stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var frames = new List<FlameFrame>();
        var open = new List<(string Name, long Start)>();
        long time = 0;
        foreach ((string stack, long value) in stacks.Sorted())
        {
            string[] names = stack.Split(';');
            int common = 0;
            while (common < open.Count && common < names.Length && string.Equals(open[common].Name, names[common], StringComparison.Ordinal))
            {
                common++;
            }

            Close(open, common, time, frames);
            for (int depth = common; depth < names.Length; depth++)
            {
                open.Add((names[depth], time));
            }

            time += value;
        }

        Close(open, 0, time, frames);
        frames.Add(new FlameFrame(RootName, 0, 0, time));
        frames.Sort(static (a, b) => a.Depth != b.Depth ? a.Depth.CompareTo(b.Depth) : a.Start.CompareTo(b.Start));
        return frames;
    }

    /// <summary>Ends the open frames from <paramref name="keep"/> on at <paramref name="time"/>; index i of open is depth i + 1.</summary>
    private static void Close(List<(string Name, long Start)> open, int keep, long time, List<FlameFrame> frames)
    {
        for (int i = open.Count - 1; i >= keep; i--)
        {
            frames.Add(new FlameFrame(open[i].Name, i + 1, open[i].Start, time));
        }

        open.RemoveRange(keep, open.Count - keep);
    }
}
