using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>What one line of function_graph output is.</summary>
public enum FunctionGraphLineKind
{
    /// <summary>Nothing to build from: empty, a # header, the rules around a context switch, "cpus=N".</summary>
    Ignored,

    /// <summary>"func() {": a call began and made calls of its own.</summary>
    Entry,

    /// <summary>"func();": a call that made no traced calls, entry and exit in one line.</summary>
    Leaf,

    /// <summary>"}" or "} /* func */": a call returned.</summary>
    Exit,

    /// <summary>" 0)  comm-pid  =>  comm-pid": the CPU switched tasks.</summary>
    ContextSwitch,

    /// <summary>"/* ... */": another event or a trace_marker write printed inside the graph.</summary>
    Comment,

    /// <summary>"==========>": an interrupt began (printed for functions in the irqentry text).</summary>
    IrqEntry,

    /// <summary>"&lt;==========": an interrupt ended.</summary>
    IrqExit,

    /// <summary>" (Overruns: N)": the return-stack overruns of the exit above (funcgraph-overrun).</summary>
    Overruns,

    /// <summary>"CPU:N [LOST M EVENTS]" (or trace-cmd's "[EVENTS DROPPED]"): the buffer lost events.</summary>
    LostEvents,

    /// <summary>A line that is none of the above.</summary>
    Unrecognized,
}

/// <summary>One parsed line of function_graph output (the tracefs text or trace-cmd report's form).</summary>
public readonly struct FunctionGraphLine
{
    public FunctionGraphLineKind Kind { get; init; }

    /// <summary>The CPU column; null when funcgraph-cpu was off.</summary>
    public int? Cpu { get; init; }

    /// <summary>The time column (funcgraph-abstime, or trace-cmd's prefix), in nanoseconds of the trace clock.</summary>
    public ulong? TimestampNanoseconds { get; init; }

    /// <summary>The task (funcgraph-proc, trace-cmd's prefix); for a context switch, the task switched to.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The task's comm (cut to 7 characters by the kernel's graph output); for a context switch, the task switched to.</summary>
    public string? Command { get; init; }

    /// <summary>For a context switch: the task switched from.</summary>
    public int? PreviousProcessId { get; init; }

    /// <summary>For a context switch: the comm of the task switched from.</summary>
    public string? PreviousCommand { get; init; }

    /// <summary>The latency flag columns (latency-format); null otherwise.</summary>
    public string? Flags { get; init; }

    /// <summary>The nesting depth, from the indentation (two spaces a level).</summary>
    public int Depth { get; init; }

    /// <summary>The function of an entry or leaf, or the name an exit carries (funcgraph-tail, lost entry, retval).</summary>
    public string? Function { get; init; }

    /// <summary>The module of the function, from "func [module]"; null for the kernel proper.</summary>
    public string? Module { get; init; }

    /// <summary>The DURATION column of a leaf or exit, in nanoseconds.</summary>
    public long? DurationNanoseconds { get; init; }

    /// <summary>The mark in front of a duration: '+', '!', '#', '*', '@', '$'; '\0' when none.</summary>
    public char DurationMark { get; init; }

    /// <summary>The return value (funcgraph-retval: "/* = 0x0 */" on 6.5-6.12, "/* ret=0x0 */" later).</summary>
    public long? ReturnValue { get; init; }

    /// <summary>The number in an Overruns or LostEvents line; null when the kernel did not say.</summary>
    public long? Count { get; init; }

    /// <summary>The text of a Comment line, without the comment marks.</summary>
    public string? Text { get; init; }

    public override string ToString() => Kind switch
    {
        FunctionGraphLineKind.Entry => $"{Cpu}) {new string(' ', Depth * 2)}{Function}() {{",
        FunctionGraphLineKind.Leaf => $"{Cpu}) {DurationNanoseconds} ns {new string(' ', Depth * 2)}{Function}();",
        FunctionGraphLineKind.Exit => $"{Cpu}) {DurationNanoseconds} ns {new string(' ', Depth * 2)}}} /* {Function} */",
        FunctionGraphLineKind.ContextSwitch => $"{Cpu}) {PreviousCommand}-{PreviousProcessId} => {Command}-{ProcessId}",
        _ => Kind.ToString(),
    };
}
