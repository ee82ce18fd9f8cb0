using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>One hit of the function tracer: a traced function was called (by <see cref="Parent"/>).</summary>
public sealed class FunctionHit
{
    private static readonly IReadOnlyList<string> NoStack = Array.Empty<string>();

    public FunctionHit(
        string function,
        string? parent,
        int? cpu,
        int processId,
        int? threadGroupId,
        string command,
        ulong? timestampNanoseconds,
        string? flags,
        IReadOnlyList<string>? stackTrace = null)
    {
        Function = function;
        Parent = parent;
        Cpu = cpu;
        ProcessId = processId;
        ThreadGroupId = threadGroupId;
        Command = command;
        TimestampNanoseconds = timestampNanoseconds;
        Flags = flags;
        StackTrace = stackTrace ?? NoStack;
    }

    /// <summary>The function that was called, without the sym-offset/sym-addr decorations.</summary>
    public string Function { get; }

    /// <summary>The function that called it (the "&lt;-" part); null when the output did not say (trace-cmd report).</summary>
    public string? Parent { get; }

    public int? Cpu { get; }

    /// <summary>The task's pid: a thread id.</summary>
    public int ProcessId { get; }

    /// <summary>The thread group (process) id when the trace recorded it (record-tgid).</summary>
    public int? ThreadGroupId { get; }

    /// <summary>The task's comm; "&lt;...&gt;" when the kernel had not cached it.</summary>
    public string Command { get; }

    /// <summary>The time in seconds of the trace clock (latency-format prints time since the trace began).</summary>
    public decimal? Timestamp => TimestampNanoseconds is { } ns ? ns / 1_000_000_000m : null;

    public ulong? TimestampNanoseconds { get; }

    /// <summary>The latency flag columns as printed; null when irq-info was off.</summary>
    public string? Flags { get; }

    /// <summary>The kernel stack at the hit (func_stack_trace), innermost first; empty when not traced.</summary>
    public IReadOnlyList<string> StackTrace { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Command}-{ProcessId} [{Cpu:000}] {(TimestampNanoseconds is { } ns ? TraceEvent.FormatSeconds(ns) : "")}: {Function}{(Parent is null ? "" : " <-" + Parent)}");
}
