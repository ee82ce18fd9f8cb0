using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// The worst latency a latency tracer (irqsoff, preemptoff, preemptirqsoff, wakeup, wakeup_rt, wakeup_dl)
/// saw while it ran: tracing_max_latency, the task and the functions where it began and ended, and the
/// trace the kernel kept of it.
/// </summary>
public sealed class TraceLatency
{
    private static readonly IReadOnlyList<FunctionHit> NoEntries = Array.Empty<FunctionHit>();

    public TraceLatency(string tracer, long latencyMicroseconds, int? cpu, string? command, int? processId,
        string? startedAt, string? endedAt, IReadOnlyList<FunctionHit>? entries, string trace)
    {
        Tracer = tracer;
        LatencyMicroseconds = latencyMicroseconds;
        Cpu = cpu;
        Command = command;
        ProcessId = processId;
        StartedAt = startedAt;
        EndedAt = endedAt;
        Entries = entries ?? NoEntries;
        Trace = trace;
    }

    /// <summary>The tracer that measured it.</summary>
    public string Tracer { get; }

    /// <summary>The worst latency seen (tracing_max_latency); zero when nothing was measured.</summary>
    public TimeSpan Latency => TimeSpan.FromTicks(LatencyMicroseconds * 10);

    /// <summary>The worst latency in microseconds, as the kernel counts it.</summary>
    public long LatencyMicroseconds { get; }

    /// <summary>The CPU it happened on (the trace header's CPU#); null when the trace had no header.</summary>
    public int? Cpu { get; }

    /// <summary>The task that ran when it happened (the header's "task:").</summary>
    public string? Command { get; }

    public int? ProcessId { get; }

    /// <summary>The function where the section began (irqsoff, preemptoff: "started at").</summary>
    public string? StartedAt { get; }

    /// <summary>The function where it ended ("ended at").</summary>
    public string? EndedAt { get; }

    /// <summary>The functions the kernel recorded during the section (with options/function-trace on).</summary>
    public IReadOnlyList<FunctionHit> Entries { get; }

    /// <summary>The trace as the kernel printed it (its `trace` file, which shows the worst case).</summary>
    public string Trace { get; }

    public override string ToString()
    {
        string where = Cpu is int cpu ? string.Create(CultureInfo.InvariantCulture, $" on CPU {cpu}") : "";
        string task = Command is null && ProcessId is null ? "" : $" in {Command}-{ProcessId}";
        string span = StartedAt is null ? "" : $" ({StartedAt} -> {EndedAt})";
        return string.Create(CultureInfo.InvariantCulture, $"{Tracer}: {LatencyMicroseconds} us{where}{task}{span}");
    }
}
