using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Text;

/// <summary>
/// Strings that held a newline, which the kernel's text prints over several lines (fixtures in
/// 6.18/continuation: one run saved as the trace text and as the binary pages): the text reader joins
/// the lines, so each event comes once, with the same string the binary pages give.
/// </summary>
public sealed class PendingTraceLinesTests
{
    private const string Folder = "6.18/continuation/";

    private static EventFormatCatalog Formats() => EventFormatCatalog.Load(Fixtures.PathOf(Folder + "events"));

    private static List<TraceEvent> FromText()
    {
        using var reader = new StreamReader(Fixtures.PathOf(Folder + "trace.txt"));
        return TraceTextReader.Read(reader, Formats()).Cast<TraceEvent>().ToList();
    }

    private static List<TraceEvent> FromPages(int cpu)
    {
        RingBufferLayout layout = RingBufferLayout.Parse(Fixtures.Text(Folder + "header_page"));
        using FileStream raw = File.OpenRead(Fixtures.PathOf(Folder + $"cpu{cpu}.raw"));
        return new RingBufferPageDecoder(layout, Formats()).ReadPages(raw, cpu).Cast<TraceEvent>().ToList();
    }

    [Fact]
    public void TextAndBinaryPagesGiveTheSameEvents()
    {
        List<TraceEvent> text = FromText();
        Assert.Equal(112, text.Count); // "entries-in-buffer/entries-written: 112/112"
        int strings = 0;
        foreach (int cpu in new[] { 0, 1 })
        {
            List<TraceEvent> binary = FromPages(cpu);
            List<TraceEvent> mine = text.Where(e => e.Cpu == cpu).ToList();
            Assert.Equal(binary.Count, mine.Count);
            for (int i = 0; i < binary.Count; i++)
            {
                TraceEvent t = mine[i], b = binary[i];
                string where = $"CPU {cpu} #{i} {b.FullName}";
                Assert.True((b.TimestampNanoseconds + 500) / 1000 * 1000 == t.TimestampNanoseconds, where);
                Assert.True((b.ProcessId, b.FullName) == (t.ProcessId, t.FullName), $"{where}: text {t.FullName}");
                foreach ((string name, object? value) in b.Fields)
                {
                    if (value is string s)
                    {
                        Assert.True(t.Fields.TryGetValue(name, out object? printed) && s == (string?)printed, $"{where}.{name}: text '{printed}', binary '{s}'");
                        strings++;
                    }
                }
            }
        }

        Assert.Equal(text.Count(e => e.Fields.Values.Any(v => v is string)), strings);
    }

    [Fact]
    public void AStringWithNewlinesIsWholeInItsEvent()
    {
        List<TraceEvent> text = FromText();

        TraceEvent exec = text.Single(e => e.Name == "sched_process_exec" && ((string)e.Fields["filename"]!).Contains('\n'));
        TraceEvent probe = text.Single(e => e.Name == "exec_path" && ((string)e.Fields["path"]!).Contains('\n'));

        Assert.Equal("/tmp/continuation-cap/two\nlines/run", exec.Fields["filename"]);
        Assert.Equal(24476L, exec.Fields["pid"]);
        Assert.Equal("/tmp/continuation-cap/two\nlines/run", probe.Fields["path"]);
        Assert.Equal("filename=/tmp/continuation-cap/two\nlines/run pid=24476 old_pid=24476", exec.Body);
        Assert.Equal(2, exec.Line!.Split('\n').Length);
    }

    [Fact]
    public void ABlankLineInsideAStringIsKeptAndNoLineIsLeftOver()
    {
        List<object> records = TraceTextReader.Read(new StringReader(Fixtures.Text(Folder + "trace.txt")), Formats()).ToList();

        Assert.All(records, r => Assert.True(r is TraceEvent { Cpu: >= 0, Name.Length: > 0 }, $"a line that is no event: {r}"));
        Assert.Contains(records.Cast<TraceEvent>(), e => e.Body == "before a blank\n\nafter a blank");
    }

    [Fact]
    public void BlankLinesAfterTheLastEventAreNotItsText()
    {
        string[] lines = File.ReadAllLines(Fixtures.PathOf(Folder + "trace.txt"));

        TraceEvent last = Assert.IsType<TraceEvent>(TraceTextReader.Read(new StringReader(lines[^1] + "\n\n  \n")).Single());

        Assert.Equal(lines[^1], last.Line);
    }

    [Fact]
    public void ALiveEventIsHandedOnWhenThePipeHasNothingMoreWithoutWaitingForTheNext()
    {
        // As trace_pipe gives them: the kernel writes an event's lines in one read; the next read waits.
        string[] lines = File.ReadAllLines(Fixtures.PathOf(Folder + "trace.txt")).Where(l => !l.StartsWith('#')).ToArray();
        int split = Array.FindIndex(lines, l => l.EndsWith("path=\"/tmp/continuation-cap/two", StringComparison.Ordinal));
        var pipe = new ChunkedPipe([lines[..split], lines[split..(split + 2)]]);

        using IEnumerator<object> e = TraceTextReader.Read(pipe, Formats()).GetEnumerator();
        for (int i = 0; i < split; i++)
        {
            Assert.True(e.MoveNext());
        }

        Assert.True(e.MoveNext());
        Assert.Equal("/tmp/continuation-cap/two\nlines/run", ((TraceEvent)e.Current).Fields["path"]);
    }

    /// <summary>Lines in the chunks one read of a pipe gives; Peek is -1 at the end of a chunk, and reading past the last one fails.</summary>
    private sealed class ChunkedPipe(string[][] chunks) : TextReader
    {
        private int _chunk;
        private int _line;

        public override string? ReadLine()
        {
            if (_line == chunks[_chunk].Length)
            {
                _chunk++;
                _line = 0;
            }

            return _chunk < chunks.Length ? chunks[_chunk][_line++] : throw new InvalidOperationException("read past what had arrived");
        }

        public override int Peek() => _line < chunks[_chunk].Length ? chunks[_chunk][_line][0] : -1;
    }
}
