using System.Diagnostics.CodeAnalysis;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// Reads function_graph text (a saved trace, trace_pipe, or trace-cmd report) into
/// <see cref="FunctionCall"/> trees, and <see cref="TraceLostEvents"/> where the kernel lost records.
/// Push lines in as they come (<see cref="AddLine"/>), take records out as they are ready (<see cref="TryTake"/>).
/// </summary>
public sealed class FunctionGraphTextReader : ILineFedReader
{
    private readonly FunctionGraphLineParser _parser = new();
    private readonly FunctionCallTreeBuilder _builder;
    private readonly Queue<object> _ready = new();

    /// <param name="flat">One record per call (in the order they began) rather than one per tree.</param>
    public FunctionGraphTextReader(bool flat = false)
    {
        _builder = new FunctionCallTreeBuilder(flat);
    }

    public long Lines { get; private set; }

    /// <summary>Lines that were not function_graph output (kept count of, not fatal).</summary>
    public long UnrecognizedLines { get; private set; }

    /// <summary>Calls begun and not yet returned.</summary>
    public int OpenCalls => _builder.OpenCalls;

    public void AddLine(ReadOnlySpan<char> text)
    {
        Lines++;
        FunctionGraphLine line = _parser.Parse(text);
        switch (line.Kind)
        {
            case FunctionGraphLineKind.Entry:
            case FunctionGraphLineKind.Leaf:
            case FunctionGraphLineKind.Exit:
                _builder.Add(ToEvent(line));
                break;
            case FunctionGraphLineKind.ContextSwitch:
                _builder.SwitchTask(line.Cpu, line.PreviousProcessId!.Value, line.PreviousCommand, line.ProcessId!.Value, line.Command);
                break;
            case FunctionGraphLineKind.LostEvents:
                _builder.EventsLost(line.Cpu);
                Drain();
                _ready.Enqueue(new TraceLostEvents(line.Cpu ?? -1, line.Count));
                return;
            case FunctionGraphLineKind.Overruns:
                _builder.AddOverruns((int)line.Count!.Value);
                break;
            case FunctionGraphLineKind.Unrecognized:
                UnrecognizedLines++;
                break;
        }

        Drain();
    }

    /// <summary>The input ended: calls still open come out marked IsExitLost.</summary>
    public void Complete()
    {
        _builder.Complete();
        Drain();
    }

    /// <summary>The next record: a <see cref="FunctionCall"/> or a <see cref="TraceLostEvents"/>.</summary>
    public bool TryTake([NotNullWhen(true)] out object? record) => _ready.TryDequeue(out record);

    /// <summary>Reads a whole text to its end, yielding records as they are ready.</summary>
    public IEnumerable<object> Read(TextReader text) => LineFedReader.ReadAll(this, text);

    /// <summary>Reads a saved trace file.</summary>
    public static IEnumerable<object> ReadFile(string path, bool flat = false)
    {
        using var text = new StreamReader(path);
        foreach (object record in new FunctionGraphTextReader(flat).Read(text))
        {
            yield return record;
        }
    }

    internal static FunctionGraphEvent ToEvent(in FunctionGraphLine line) => new()
    {
        Kind = line.Kind switch
        {
            FunctionGraphLineKind.Entry => FunctionGraphEventKind.Entry,
            FunctionGraphLineKind.Leaf => FunctionGraphEventKind.Leaf,
            _ => FunctionGraphEventKind.Exit,
        },
        Depth = line.Depth,
        Function = line.Function,
        Module = line.Module,
        Cpu = line.Cpu,
        ProcessId = line.ProcessId,
        Command = line.Command,
        TimestampNanoseconds = line.TimestampNanoseconds,
        DurationNanoseconds = line.DurationNanoseconds,
        ReturnValue = line.ReturnValue,
    };

    private void Drain()
    {
        while (_builder.TryTake(out FunctionCall? call))
        {
            _ready.Enqueue(call);
        }
    }
}
