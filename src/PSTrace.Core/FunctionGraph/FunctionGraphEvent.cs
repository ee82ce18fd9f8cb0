using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>What a function_graph record says happened.</summary>
public enum FunctionGraphEventKind
{
    /// <summary>A call began (funcgraph_entry).</summary>
    Entry,

    /// <summary>A call returned (funcgraph_exit).</summary>
    Exit,

    /// <summary>A call that made no traced calls, its entry and exit together (the text's "func();").</summary>
    Leaf,
}

/// <summary>
/// One function_graph record, from any source: a parsed text line, or a decoded funcgraph_entry /
/// funcgraph_exit event (binary ring buffer, trace.dat). <see cref="FunctionCallTreeBuilder"/> turns
/// a stream of them into call trees.
/// </summary>
/// <remarks>
/// From the binary funcgraph_exit event: TimestampNanoseconds = rettime, DurationNanoseconds =
/// rettime - calltime, Overruns = overrun; Depth and Function (func resolved to a symbol) from both events.
/// </remarks>
public readonly record struct FunctionGraphEvent
{
    public FunctionGraphEventKind Kind { get; init; }

    /// <summary>The kernel's depth field: 0 for the function that began the graph.</summary>
    public int Depth { get; init; }

    /// <summary>The function; may be null on an exit (the text names it only with funcgraph-tail or a lost entry).</summary>
    public string? Function { get; init; }

    public string? Module { get; init; }

    /// <summary>The CPU; null when the source did not say.</summary>
    public int? Cpu { get; init; }

    /// <summary>The task's pid; null when the source did not say (then context switches tell the builder which task runs).</summary>
    public int? ProcessId { get; init; }

    public string? Command { get; init; }

    /// <summary>Entry and leaf: when the call began. Exit: when it returned.</summary>
    public ulong? TimestampNanoseconds { get; init; }

    /// <summary>Exit and leaf: how long the call took.</summary>
    public long? DurationNanoseconds { get; init; }

    /// <summary>Exit and leaf: the return value, when traced.</summary>
    public long? ReturnValue { get; init; }

    /// <summary>Exit: the return-stack overruns the kernel counted.</summary>
    public int? Overruns { get; init; }
}
