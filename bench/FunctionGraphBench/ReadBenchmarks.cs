using BenchmarkDotNet.Attributes;
using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;

namespace FunctionGraphBench;

/// <summary>
/// Calls per second from text lines to finished call trees. Each operation is one call, so the
/// Mean column is the time per call and Allocated the bytes per call.
/// </summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    // 10 copies of each capture; the call counts are checked in GlobalSetup.
    private const int Copies = 10;
    private const int DefaultColumnsCalls = 3878 * Copies;     // fgraph-openat2-full.txt
    private const int AllColumnsCalls = 3404 * Copies;         // fgraph-openat2-proc-abstime-tail.txt
    private const int TraceCmdCalls = 2312 * Copies;           // tracecmd-report-fgraph-openat2-F.txt

    private string[] _default = [];
    private string[] _all = [];
    private string[] _traceCmd = [];

    [GlobalSetup]
    public void Setup()
    {
        _default = Check(GraphText.Load("fgraph-openat2-full.txt", Copies), DefaultColumnsCalls);
        _all = Check(GraphText.Load("fgraph-openat2-proc-abstime-tail.txt", Copies), AllColumnsCalls);
        _traceCmd = Check(GraphText.Load("tracecmd-report-fgraph-openat2-F.txt", Copies), TraceCmdCalls);
    }

    [Benchmark(OperationsPerInvoke = DefaultColumnsCalls)]
    public int DefaultColumns() => Read(_default, flat: false);

    [Benchmark(OperationsPerInvoke = AllColumnsCalls)]
    public int ProcAbstimeTailColumns() => Read(_all, flat: false);

    [Benchmark(OperationsPerInvoke = TraceCmdCalls)]
    public int TraceCmdReport() => Read(_traceCmd, flat: false);

    [Benchmark(OperationsPerInvoke = DefaultColumnsCalls)]
    public int DefaultColumnsFlat() => Read(_default, flat: true);

    [Benchmark(OperationsPerInvoke = DefaultColumnsCalls)]
    public int ParseOnly()
    {
        var parser = new FunctionGraphLineParser();
        int calls = 0;
        foreach (string line in _default)
        {
            if (parser.Parse(line).Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf)
            {
                calls++;
            }
        }

        return calls;
    }

    private static int Read(string[] lines, bool flat)
    {
        var reader = new FunctionGraphTextReader(flat);
        int calls = 0;
        foreach (string line in lines)
        {
            reader.AddLine(line);
            while (reader.TryTake(out object? record))
            {
                calls += Count(record, flat);
            }
        }

        reader.Complete();
        while (reader.TryTake(out object? record))
        {
            calls += Count(record, flat);
        }

        return calls;
    }

    private static int Count(object record, bool flat) =>
        record is FunctionCall call ? flat ? 1 : call.GetDescendantsAndSelf().Count() : 0;

    private static string[] Check(string[] lines, int calls)
    {
        int read = Read(lines, flat: false);
        return read == calls ? lines : throw new InvalidOperationException($"expected {calls} calls, read {read}");
    }
}
