using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tracers;

namespace PSTrace.Commands;

/// <summary>
/// Measure-TraceLatency: runs one latency tracer (irqsoff, preemptoff, preemptirqsoff, wakeup, wakeup_rt,
/// wakeup_dl) for a while and returns the worst latency it saw, with the kernel's trace of it.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "TraceLatency")]
[OutputType(typeof(TraceLatency))]
public sealed class MeasureTraceLatencyCommand : TraceCmdlet
{
    /// <summary>The latency tracer to run.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("irqsoff", "preemptoff", "preemptirqsoff", "wakeup", "wakeup_rt", "wakeup_dl")]
    public string Tracer { get; set; } = "";

    /// <summary>How long to measure (seconds, "500ms", "2m", or a TimeSpan). Ctrl+C stops it, and everything is put back.</summary>
    [Parameter(Position = 1)]
    [DurationTransformation]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

    protected override void EndProcessing()
    {
        WriteVerbose($"Running the {Tracer} tracer for {Duration.TotalSeconds:0.###} s.");
        TraceLatency worst = Guard(() => LatencyMeasurement.Measure(Fs, Tracer, Duration, Cancellation));
        WriteObject(worst);
    }
}
