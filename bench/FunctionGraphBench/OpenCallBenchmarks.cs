using BenchmarkDotNet.Attributes;
using PSTrace.Core.FunctionGraph;

namespace FunctionGraphBench;

/// <summary>
/// Memory held per open call: 40 tasks each 50 calls deep (the kernel's return stack is 50 deep),
/// none returned yet. Each operation is one open call, so Allocated is the bytes per open call.
/// </summary>
[MemoryDiagnoser]
public class OpenCallBenchmarks
{
    private const int Tasks = 40;
    private const int Depth = 50;
    private const int Calls = Tasks * Depth;

    private readonly string[] _functions = ["vfs_read", "rw_verify_area", "security_file_permission", "filemap_read", "touch_atime"];

    [Benchmark(OperationsPerInvoke = Calls)]
    public int OpenCalls()
    {
        var builder = new FunctionCallTreeBuilder();
        for (int task = 0; task < Tasks; task++)
        {
            for (int depth = 0; depth < Depth; depth++)
            {
                builder.Add(new FunctionGraphEvent
                {
                    Kind = FunctionGraphEventKind.Entry,
                    Depth = depth,
                    Function = _functions[depth % _functions.Length],
                    Cpu = task % 2,
                    ProcessId = 1000 + task,
                    Command = "cat",
                    TimestampNanoseconds = (ulong)(task * Depth + depth),
                });
            }
        }

        return builder.OpenCalls;
    }
}
