using System.Globalization;
using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// Runs one latency tracer for a while in its own session and returns the worst case it kept:
/// tracing_max_latency and the `trace` file, which for these tracers shows the worst section.
/// </summary>
/// <remarks>
/// Written from the kernel's documentation and source (Documentation/trace/ftrace.rst, trace_irqsoff.c,
/// trace_sched_wakeup.c): neither kernel this project is tested on has a latency tracer built in, so
/// this path has only been run as far as its capability check.
/// </remarks>
public static class LatencyMeasurement
{
    /// <summary>The latency tracers, each of which keeps its worst case in tracing_max_latency.</summary>
    public static IReadOnlyList<string> Tracers { get; } = ["irqsoff", "preemptoff", "preemptirqsoff", "wakeup", "wakeup_rt", "wakeup_dl"];

    /// <summary>
    /// Runs the tracer until <paramref name="duration"/> passes or <paramref name="cancel"/> fires, then reads the worst case.
    /// </summary>
    /// <exception cref="TraceException">The kernel lacks the tracer (the message names the config option), or it is busy.</exception>
    public static TraceLatency Measure(Tracefs.Tracefs fs, string tracer, TimeSpan duration, CancellationToken cancel)
    {
        if (!Tracers.Contains(tracer, StringComparer.Ordinal))
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "NotALatencyTracer", $"'{tracer}' is not a latency tracer.",
                "Use one of " + string.Join(", ", Tracers) + ".", tracer);
        }

        Capabilities.Require(fs, "Tracer:" + tracer);
        using TraceSession session = TraceSession.Start(fs);
        TraceBuffer buffer = TracerPlacement.Choose(session, tracer);
        var settings = new TracerSettings(session);
        settings.Write(buffer, "tracing_on", "0");
        settings.Write(buffer, "current_tracer", tracer);

        // The tracer keeps the worst case since tracing_max_latency was last zeroed; start from nothing.
        settings.Write(buffer, "tracing_max_latency", "0");
        settings.Write(buffer, "tracing_on", "1");
        cancel.WaitHandle.WaitOne(duration);
        settings.Write(buffer, "tracing_on", "0");

        long worst = long.Parse(buffer.Read("tracing_max_latency").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        string trace = buffer.Read("trace");
        return Build(tracer, worst, trace);
    }

    /// <summary>The record for a tracer's worst case, from tracing_max_latency and the `trace` text.</summary>
    internal static TraceLatency Build(string tracer, long worstMicroseconds, string trace)
    {
        LatencyTraceHeader header = LatencyTraceHeader.Parse(trace);
        List<FunctionHit> entries = new FunctionTraceTextReader().Read(new StringReader(trace)).OfType<FunctionHit>().ToList();
        return new TraceLatency(tracer, worstMicroseconds, header.Cpu, header.Command, header.ProcessId,
            header.StartedAt, header.EndedAt, entries, trace);
    }
}
