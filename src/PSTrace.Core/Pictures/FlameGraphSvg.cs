using System.Globalization;

namespace PSTrace.Core.Pictures;

/// <summary>
/// Writes a flame graph as one self-contained SVG file: the frames as boxes (the root at the bottom, each
/// frame as wide as its value, children in alphabetical order), each with a tooltip naming it with its
/// value and percent, and a script inside the file that zooms on a click, searches (Ctrl+F or "Search",
/// or ?s=regex in the address) and highlights what matched. Nothing is loaded from anywhere else.
/// </summary>
/// <remarks>
/// The geometry is flamegraph.pl's (16-pixel frames, 10-pixel margins, frames narrower than 0.1 pixel
/// left out, as they cannot be seen or clicked), but widths are written to the micro-pixel rather than
/// rounded to a tenth, and every frame carries its exact start and value (data-s, data-v) for the script.
/// </remarks>
public static class FlameGraphSvg
{
    public const double FrameHeight = 16;
    public const double FontSize = 12;
    public const double SidePad = 10;
    public const double MinimumWidth = 0.1;

    /// <summary>Frame width a character of the 12-point font takes, as flamegraph.pl estimates it.</summary>
    internal const double CharWidth = FontSize * 0.59;

    private const double TopPad = FontSize * 3;
    private const double BottomPad = (FontSize * 2) + 10;

    /// <summary>Writes the graph; returns the frames drawn and left out.</summary>
    /// <param name="title">The heading at the top.</param>
    /// <param name="width">The picture's width in pixels.</param>
    public static FlameGraphSummary Write(TextWriter writer, FoldedStacks stacks, string title, int width)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(title);
        if (stacks.Total <= 0)
        {
            throw new ArgumentException("There are no stacks to draw.", nameof(stacks));
        }

        if (width < 200)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "A flame graph needs at least 200 pixels of width.");
        }

        IReadOnlyList<FlameFrame> frames = FlameLayout.Lay(stacks);
        double perValue = (width - (2 * SidePad)) / stacks.Total;
        var drawn = frames.Where(f => f.Value * perValue >= MinimumWidth).ToList();
        int depths = drawn.Max(f => f.Depth) + 1;
        double height = (depths * FrameHeight) + TopPad + BottomPad;

        var svg = new SvgText(writer);
        WriteHead(svg, title, width, height, stacks);
        writer.Write("<g id=\"frames\">\n");
        foreach (FlameFrame frame in drawn)
        {
            WriteFrame(svg, frame, stacks, perValue, height);
        }

        writer.Write("</g>\n</svg>\n");
        return new FlameGraphSummary(drawn.Count, frames.Count - drawn.Count, depths, width, height);
    }

    /// <summary>The tooltip: "name (1,234 samples, 12.34%)", or with time, "name (12.345 us, 12.34%)".</summary>
    public static string Tooltip(string name, long value, long total, FlameValueUnit unit)
    {
        string amount = unit == FlameValueUnit.Nanoseconds
            ? (value / 1000m).ToString("#,0.000", CultureInfo.InvariantCulture) + " us"
            : value.ToString("#,0", CultureInfo.InvariantCulture) + (value == 1 ? " sample" : " samples");
        double percent = 100.0 * value / total;
        return string.Create(CultureInfo.InvariantCulture, $"{name} ({amount}, {percent:0.00}%)");
    }

    /// <summary>The label that fits a box: the name, cut with ".." when too long, empty when not even 3 characters fit.</summary>
    public static string Label(string name, double boxWidth)
    {
        int fits = (int)(boxWidth / CharWidth);
        if (fits < 3)
        {
            return "";
        }

        return name.Length <= fits ? name : name[..(fits - 2)] + "..";
    }

    private static void WriteHead(SvgText svg, string title, int width, double height, FoldedStacks stacks)
    {
        string w = SvgText.Number(width);
        string h = SvgText.Number(height);
        svg.Raw($"<?xml version=\"1.0\" standalone=\"no\"?>\n");
        svg.Raw($"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"");
        svg.Raw($" data-total=\"{stacks.Total.ToString(CultureInfo.InvariantCulture)}\" data-unit=\"{(stacks.Unit == FlameValueUnit.Nanoseconds ? "ns" : "samples")}\"");
        svg.Raw($" data-pad=\"{SvgText.Number(SidePad)}\" data-charwidth=\"{SvgText.Number(CharWidth)}\">\n");
        svg.Raw(FlameGraphStyle.Defs);
        svg.Raw("<script type=\"text/ecmascript\"><![CDATA[\n");
        svg.Raw(FlameGraphScript.Source);
        svg.Raw("]]></script>\n");
        svg.Raw($"<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"url(#background)\"/>\n");
        svg.Raw($"<text id=\"title\" x=\"{SvgText.Number(width / 2.0)}\" y=\"{SvgText.Number(FontSize * 2)}\">");
        svg.Escaped(title);
        svg.Raw("</text>\n");
        string bottom = SvgText.Number(height - (BottomPad / 2));
        svg.Raw($"<text id=\"details\" x=\"{SvgText.Number(SidePad)}\" y=\"{bottom}\"> </text>\n");
        svg.Raw($"<text id=\"unzoom\" class=\"button hide\" x=\"{SvgText.Number(SidePad)}\" y=\"{SvgText.Number(FontSize * 2)}\">Reset Zoom</text>\n");
        svg.Raw($"<text id=\"search\" class=\"button\" x=\"{SvgText.Number(width - SidePad)}\" y=\"{SvgText.Number(FontSize * 2)}\">Search</text>\n");
        svg.Raw($"<text id=\"matched\" x=\"{SvgText.Number(width - SidePad)}\" y=\"{bottom}\"> </text>\n");
    }

    private static void WriteFrame(SvgText svg, FlameFrame frame, FoldedStacks stacks, double perValue, double height)
    {
        double x = SidePad + (frame.Start * perValue);
        double boxWidth = frame.Value * perValue;
        double y = height - BottomPad - ((frame.Depth + 1) * FrameHeight);
        string start = frame.Start.ToString(CultureInfo.InvariantCulture);
        string value = frame.Value.ToString(CultureInfo.InvariantCulture);
        svg.Raw($"<g class=\"f\" data-d=\"{frame.Depth.ToString(CultureInfo.InvariantCulture)}\" data-s=\"{start}\" data-v=\"{value}\"><title>");
        svg.Escaped(Tooltip(frame.Name, frame.Value, stacks.Total, stacks.Unit));
        svg.Raw($"</title><rect x=\"{SvgText.Number(x)}\" y=\"{SvgText.Number(y)}\" width=\"{SvgText.Number(boxWidth)}\" height=\"{SvgText.Number(FrameHeight - 1)}\"");
        svg.Raw($" rx=\"2\" ry=\"2\" fill=\"{FlameColor.Of(frame.Name, frame.Depth == 0)}\"/><text x=\"{SvgText.Number(x + 3)}\" y=\"{SvgText.Number(y + 10.5)}\">");
        svg.Escaped(Label(frame.Name, boxWidth));
        svg.Raw("</text></g>\n");
    }
}

/// <summary>What a written flame graph holds: frames drawn, frames too narrow to draw, levels, and the picture's size.</summary>
public sealed record FlameGraphSummary(int FramesDrawn, int FramesTooNarrow, int Depths, int Width, double Height);
