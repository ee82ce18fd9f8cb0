using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Text;

/// <summary>Damaged and partial input: nothing throws and nothing is dropped.</summary>
public class TraceTextReaderRobustnessTests
{
    public static TheoryData<string> Samples => new("6.18/trace-default.txt", "6.18/trace-tgid.txt", "6.18/trace-noirq.txt",
        "6.18/trace-stacktrace.txt", "6.18/trace_pipe-lost.txt", "perf-tools-examples/kprobe_example.txt");

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryCutOfEveryLineGivesAtMostOneRecord(string fixture)
    {
        foreach (string line in File.ReadLines(Fixtures.PathOf(fixture)).Where(l => !l.StartsWith('#')).Distinct().Take(60))
        {
            for (int n = 1; n <= line.Length; n++)
            {
                string cut = line[..n];
                List<object> records = TraceTextReader.Read(new StringReader(cut), TextFixtures.CatalogFor(fixture)).ToList();
                Assert.True(records.Count <= 1, $"{records.Count} records from '{cut}'");
                if (cut.Trim().Length > 0 && records.Count == 0)
                {
                    Assert.StartsWith("#", cut.TrimStart(), StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void AFrameWithoutItsStackIsKept()
    {
        string[] lines = File.ReadAllLines(Fixtures.PathOf("6.18/trace-stacktrace.txt"));
        string frame = lines.First(l => l.StartsWith(" => ", StringComparison.Ordinal));

        TraceEvent e = Assert.IsType<TraceEvent>(Assert.Single(TraceTextReader.Read(new StringReader(frame))));

        Assert.Equal((-1, "", frame), (e.Cpu, e.Name, e.Body));
    }

    [Fact]
    public void AStackAtTheEndOfTheTextIsYielded()
    {
        List<TraceEvent> events = TextFixtures.Events("6.18/trace-userstacktrace.txt");

        Assert.Equal("user_stack", events[^1].Name);
        Assert.Equal(2, ((string[])events[^1].Fields["stack"]!).Length);
    }

    [Fact]
    public void ReadsLazilyAsATracePipeWould()
    {
        string[] lines = File.ReadAllLines(Fixtures.PathOf("6.18/trace_pipe.txt"));
        var reader = new OneLineAtATime(lines, available: 2);

        using IEnumerator<object> e = TraceTextReader.Read(reader, TextFixtures.Formats618).GetEnumerator();

        Assert.True(e.MoveNext());
        Assert.Equal(lines[0], ((TraceEvent)e.Current).Line);
        Assert.True(e.MoveNext());
        Assert.Equal(lines[1], ((TraceEvent)e.Current).Line);
    }

    [Fact]
    public void EmptyTextGivesNothing() => Assert.Empty(TraceTextReader.Read(new StringReader("")));

    [Fact]
    public void ANullReaderIsRefused() => Assert.Throws<ArgumentNullException>(() => TraceTextReader.Read(null!));

    /// <summary>Hands out the first lines, then fails as if a reader had asked for more than had arrived.</summary>
    private sealed class OneLineAtATime(string[] lines, int available) : TextReader
    {
        private int _next;

        public override string? ReadLine() =>
            _next < available ? lines[_next++] : throw new InvalidOperationException("read past what had arrived");
    }
}
