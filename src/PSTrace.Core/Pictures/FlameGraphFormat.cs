namespace PSTrace.Core.Pictures;

/// <summary>What a flame graph file holds: the picture, or the folded stacks other tools read.</summary>
public enum FlameGraphFormat
{
    /// <summary>An interactive SVG picture.</summary>
    Svg,

    /// <summary>Folded stacks, one "frame;frame;frame value" line per stack (flamegraph.pl, inferno, speedscope).</summary>
    Folded,
}

/// <summary>Picks the format from a file name when none is asked for.</summary>
public static class FlameGraphFormats
{
    /// <summary>.folded, .collapsed and .txt are folded stacks; anything else (.svg, no extension) is the picture.</summary>
    public static FlameGraphFormat FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string extension = Path.GetExtension(path);
        return extension.Equals(".folded", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".collapsed", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".txt", StringComparison.OrdinalIgnoreCase)
            ? FlameGraphFormat.Folded
            : FlameGraphFormat.Svg;
    }
}
