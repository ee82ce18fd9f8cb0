using BenchmarkDotNet.Attributes;
using PSTrace.Core.Formats;
using PSTrace.Core.Text;

namespace PSTrace.Bench;

/// <summary>
/// The text path over a real 6.18 trace (every kind of event line it holds: sched, syscalls, raw_syscalls,
/// block, signal, uprobes), repeated to about 100,000 lines. Each operation is one line, so Mean is the
/// time per line and Allocated the bytes allocated per line (the line's own string included).
/// </summary>
[MemoryDiagnoser]
public class TextParsingBenchmarks
{
    /// <summary>The fixture's 133 event lines, 751 times: just under 100,000 lines per operation batch.</summary>
    private const int LinesPerRun = 133 * 751;

    private string _text = "";
    private EventFormatCatalog _catalog = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] events = File.ReadAllLines(Repository.Fixture("6.18/trace-default.txt")).Where(l => !l.StartsWith('#')).ToArray();
        if (LinesPerRun % events.Length != 0)
        {
            throw new InvalidOperationException($"The fixture has {events.Length} event lines; LinesPerRun must be a multiple of it.");
        }

        _text = string.Join('\n', Enumerable.Repeat(events, LinesPerRun / events.Length).SelectMany(x => x)) + "\n";
        _catalog = EventFormatCatalog.Load(Repository.Fixture("6.18/formats"));
        if (Count(_catalog) != LinesPerRun)
        {
            throw new InvalidOperationException("Every line should give one record.");
        }
    }

    /// <summary>Prefix, name and body only.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = LinesPerRun)]
    public int LinesOnly() => Count(null);

    /// <summary>Prefix, name, body, and fields typed from the format files.</summary>
    [Benchmark(OperationsPerInvoke = LinesPerRun)]
    public int LinesAndFields() => Count(_catalog);

    private int Count(EventFormatCatalog? catalog)
    {
        int n = 0;
        foreach (object _ in TraceTextReader.Read(new StringReader(_text), catalog))
        {
            n++;
        }

        return n;
    }
}
