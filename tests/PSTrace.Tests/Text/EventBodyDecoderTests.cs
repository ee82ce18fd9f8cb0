using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Text;

/// <summary>The decoder on its own: real bodies against right and wrong formats, whole and cut short.</summary>
public class EventBodyDecoderTests
{
    private static readonly EventFormatCatalog Catalog = TextFixtures.Formats618;

    private static IEnumerable<TraceEvent> DefaultEvents() => TextFixtures.Events("6.18/trace-default.txt");

    [Fact]
    public void ABodyDecodesOnlyWithItsOwnFormat()
    {
        List<EventFormat> formats = DefaultEvents().Select(e => Catalog.Find(e.Name)).OfType<EventFormat>().Distinct().ToList();
        foreach (TraceEvent e in DefaultEvents().Where(e => e.System != "syscalls").DistinctBy(e => e.Name))
        {
            foreach (EventFormat f in formats)
            {
                IReadOnlyDictionary<string, object?> fields = EventBodyDecoder.Decode(f, e.Body);
                Assert.True(f.Name == e.Name ? fields.Count > 0 : fields.Count == 0, $"{f.Name} on '{e.Body}': {fields.Count} fields");
            }
        }
    }

    [Fact]
    public void BodiesCutShortGiveNoFieldsOrTheRightOnes()
    {
        foreach (TraceEvent e in DefaultEvents().Where(e => e.System is not "syscalls" and not "").DistinctBy(e => e.Name))
        {
            EventFormat f = Catalog.Find(e.Name)!;
            for (int n = 0; n < e.Body.Length; n++)
            {
                IReadOnlyDictionary<string, object?> fields = EventBodyDecoder.Decode(f, e.Body[..n]);
                foreach ((string key, object? value) in fields)
                {
                    Assert.Contains(key, e.Fields.Keys);
                    Assert.NotNull(value);
                }
            }
        }
    }

    [Fact]
    public void SyscallFormatsTakeTheWholePrintedText()
    {
        EventFormat enter = Catalog.Find("sys_enter_openat")!;
        EventFormat exit = Catalog.Find("sys_exit_openat")!;
        TraceEvent line19 = TextFixtures.EventAtLine("6.18/trace-default.txt", 19);
        TraceEvent line69 = TextFixtures.EventAtLine("6.18/trace-default.txt", 69);

        Assert.Equal(line19.Fields, EventBodyDecoder.Decode(enter, line19.Body));
        Assert.Equal(-2L, EventBodyDecoder.Decode(exit, line69.Body)["ret"]);
        Assert.Empty(EventBodyDecoder.Decode(exit, "sys_openat"));
    }

    [Fact]
    public void ProbeTextWithoutItsArgumentsGivesNoFields()
    {
        EventFormat f = Catalog.Find("libc_open")!;
        string body = TextFixtures.EventAtLine("6.18/trace-default.txt", 46).Body;

        Assert.Equal(6, EventBodyDecoder.Decode(f, body).Count);
        Assert.Empty(EventBodyDecoder.Decode(f, body[..body.IndexOf(" comm=", StringComparison.Ordinal)]));
    }
}
