using System.Globalization;
using System.Xml.Linq;
using PSTrace.Core.Pictures;

namespace PSTrace.Tests.Pictures;

public sealed class FlameGraphSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [MemberData(nameof(PictureFixtures.GraphsWithDurations), MemberType = typeof(PictureFixtures))]
    public void EveryFrameIsAsWideAsItsValue(string fixture)
    {
        FoldedStacks stacks = PictureFixtures.FoldGraph(fixture);
        (XDocument doc, FlameGraphSummary summary) = Draw(stacks, 1200);

        List<XElement> frames = Frames(doc);
        Assert.Equal(summary.FramesDrawn, frames.Count);
        Assert.Equal(FlameLayout.Lay(stacks).Count, summary.FramesDrawn + summary.FramesTooNarrow);
        double perValue = (1200 - (2 * FlameGraphSvg.SidePad)) / stacks.Total;
        foreach (XElement frame in frames)
        {
            long value = Number<long>(frame, "data-v");
            double width = Number<double>(frame.Element(Svg + "rect")!, "width");
            double x = Number<double>(frame.Element(Svg + "rect")!, "x");
            // Written to a millionth of a pixel: off by half of that at most.
            Assert.InRange(Math.Abs((value * perValue) - width), 0, 0.5000001e-6);
            Assert.InRange(Math.Abs(FlameGraphSvg.SidePad + (Number<long>(frame, "data-s") * perValue) - x), 0, 0.5000001e-6);
            Assert.True(width >= FlameGraphSvg.MinimumWidth);
        }

        XElement root = frames[0];
        Assert.StartsWith("all (", root.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        Assert.EndsWith(" us, 100.00%)", root.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal(1200 - (2 * FlameGraphSvg.SidePad), Number<double>(root.Element(Svg + "rect")!, "width"), 6);
    }

    [Fact]
    public void TheFileNeedsNothingFromElsewhere()
    {
        (XDocument doc, _) = Draw(PictureFixtures.FoldGraph("fgraph-smp2.txt"), 1200);

        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Single(doc.Descendants(Svg + "script"));
        Assert.DoesNotContain(doc.Descendants(), e => e.Attributes().Any(a => a.Name.LocalName is "href" or "src"));
        string script = doc.Descendants(Svg + "script").Single().Value;
        Assert.DoesNotContain("http", script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("import", script, StringComparison.Ordinal);
        Assert.Contains("addEventListener(\"click\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void TooltipsSayTheValueAndPercent()
    {
        Assert.Equal("vfs_read (1,234.567 us, 50.00%)", FlameGraphSvg.Tooltip("vfs_read", 1234567, 2469134, FlameValueUnit.Nanoseconds));
        Assert.Equal("do_exit (1 sample, 12.50%)", FlameGraphSvg.Tooltip("do_exit", 1, 8, FlameValueUnit.Samples));
        Assert.Equal("do_exit (3,000 samples, 75.00%)", FlameGraphSvg.Tooltip("do_exit", 3000, 4000, FlameValueUnit.Samples));
    }

    [Fact]
    public void LabelsAreCutToFitTheirBox()
    {
        Assert.Equal("filemap_read", FlameGraphSvg.Label("filemap_read", 200));
        Assert.Equal("filema..", FlameGraphSvg.Label("filemap_read", 8 * 0.59 * 12 + 1));
        Assert.Equal("", FlameGraphSvg.Label("filemap_read", 2 * 0.59 * 12));
    }

    [Fact]
    public void NamesOfAnyKindGiveAWellFormedFile()
    {
        var stacks = new FoldedStacks(FlameValueUnit.Samples);
        stacks.Add(["<00007f8e5b6dcfc0>", "a & b \"quoted\" 'single'", "bell\u0007char", "]]> end"], 4);
        (XDocument doc, _) = Draw(stacks, 600, "Title <with> & marks");

        var titles = Frames(doc).Select(f => f.Element(Svg + "title")!.Value).ToList();
        Assert.Contains("<00007f8e5b6dcfc0> (4 samples, 100.00%)", titles);
        Assert.Contains("a & b \"quoted\" 'single' (4 samples, 100.00%)", titles);
        Assert.Contains("bellchar (4 samples, 100.00%)", titles);
        Assert.Equal("Title <with> & marks", doc.Descendants(Svg + "text").Single(t => (string?)t.Attribute("id") == "title").Value);
    }

    [Fact]
    public void NothingToDrawIsRefused()
    {
        Assert.Throws<ArgumentException>(() => FlameGraphSvg.Write(new StringWriter(), new FoldedStacks(FlameValueUnit.Samples), "t", 1200));
    }

    private static (XDocument Doc, FlameGraphSummary Summary) Draw(FoldedStacks stacks, int width, string title = "Flame Graph")
    {
        var text = new StringWriter();
        FlameGraphSummary summary = FlameGraphSvg.Write(text, stacks, title, width);
        return (XDocument.Parse(text.ToString()), summary);
    }

    private static List<XElement> Frames(XDocument doc) =>
        doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "f").ToList();

    private static T Number<T>(XElement e, string attribute) where T : IParsable<T> =>
        T.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
