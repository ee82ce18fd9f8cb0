using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Text;

public sealed class TraceLineParserTests
{
    [Fact]
    public void AMarkerWriteIsFtracePrintAsFromTheBinaryPagesWithOrWithoutFormats()
    {
        string line = File.ReadLines(Fixtures.PathOf("6.18/pages/trace.txt")).First(l => l.Contains("tracing_mark_write: ", StringComparison.Ordinal));

        foreach (Core.Formats.EventFormatCatalog? catalog in new[] { null, TextFixtures.Formats618 })
        {
            TraceEvent e = Assert.IsType<TraceEvent>(Assert.Single(TraceTextReader.Read(new StringReader(line), catalog)));

            Assert.Equal(("ftrace", "print"), (e.System, e.Name));
            Assert.Equal("binary fixture marker\n", e.Fields["buf"]);
            Assert.Equal("binary fixture marker", e.Body);
            Assert.Equal(line, e.Line);
        }
    }
}
