using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Probes;

/// <summary>
/// Probe events become the same ProbeHit from trace text and from binary pages: one run of a uprobe on libc's
/// execve, saved both ways (6.18/continuation), one of its paths holding a newline.
/// </summary>
public sealed class ProbeHitMapperTests
{
    private const string Folder = "6.18/continuation/";

    private static readonly TraceProbe[] Probes = ProbeListingParser.Parse(Fixtures.Text(Folder + "uprobe-listing.txt"))
        .Select(e => new TraceProbe(e.Kind, e.Group, e.Event, e.Place, e.MaxActive, e.Arguments, false, [], e.Line)).ToArray();

    private static EventFormatCatalog Formats() => EventFormatCatalog.Load(Fixtures.PathOf(Folder + "events"));

    private static List<object> Mapped(IEnumerable<object> events)
    {
        var mapper = new ProbeHitMapper(() => Probes);
        return events.Select(mapper.Map).ToList();
    }

    private static List<object> FromText(EventFormatCatalog? formats) =>
        Mapped(TraceTextReader.Read(new StringReader(Fixtures.Text(Folder + "trace.txt")), formats));

    private static List<object> FromPages(int cpu)
    {
        RingBufferLayout layout = RingBufferLayout.Parse(Fixtures.Text(Folder + "header_page"));
        using FileStream raw = File.OpenRead(Fixtures.PathOf(Folder + $"cpu{cpu}.raw"));
        return Mapped(new RingBufferPageDecoder(layout, Formats()).ReadPages(raw, cpu).ToList());
    }

    [Fact]
    public void TextAndBinaryPagesGiveTheSameHits()
    {
        List<ProbeHit> text = FromText(Formats()).OfType<ProbeHit>().ToList();
        List<ProbeHit> binary = FromPages(0).Concat(FromPages(1)).OfType<ProbeHit>().OrderBy(h => h.TimestampNanoseconds).ToList();

        Assert.NotEmpty(text);
        Assert.Equal(binary.Count, text.Count);
        for (int i = 0; i < text.Count; i++)
        {
            Assert.Equal((binary[i].FullName, binary[i].Kind, binary[i].Address, binary[i].Symbol), (text[i].FullName, text[i].Kind, text[i].Address, text[i].Symbol));
            Assert.Equal(binary[i].Arguments.ToList(), text[i].Arguments.ToList());
        }

        Assert.Contains(text, h => h.Arguments["path"] is "/tmp/continuation-cap/two\nlines/run");
        Assert.All(text, h => Assert.IsType<ulong>(h.Arguments["argv"]));
    }

    [Fact]
    public void AProbeEventReadWithoutItsFormatStaysAPlainEvent()
    {
        List<object> records = FromText(null);

        Assert.DoesNotContain(records, r => r is ProbeHit);
        Assert.Contains(records, r => r is TraceEvent { Name: "exec_path" });
    }
}
