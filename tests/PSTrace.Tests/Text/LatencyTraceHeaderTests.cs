using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Core.Tracers;

namespace PSTrace.Tests.Text;

/// <summary>
/// The latency header over a real capture. No kernel here has a latency tracer, so the capture is the
/// function tracer with options/latency-format, which prints the same header without "started at".
/// </summary>
public class LatencyTraceHeaderTests
{
    [Fact]
    public void LatencyFormatHeader_6_1()
    {
        // "# latency: 0 us, #27/27, CPU#0 | (M:desktop VP:0, KP:0, SP:0 HP:0 #P:1)"
        // "#    | task: -0 (uid:0 nice:0 policy:0 rt_prio:0)"
        LatencyTraceHeader header = LatencyTraceHeader.Parse(Fixtures.Text("6.1/function-latency.txt"));
        Assert.Equal(0, header.LatencyMicroseconds);
        Assert.Equal(0, header.Cpu);
        Assert.Equal("", header.Command);
        Assert.Equal(0, header.ProcessId);
        Assert.Null(header.StartedAt);
        Assert.Null(header.EndedAt);
    }

    [Fact]
    public void RecordKeepsTheTraceAndItsEntries()
    {
        string trace = Fixtures.Text("6.1/function-latency.txt");
        TraceLatency record = LatencyMeasurement.Build("irqsoff", 16, trace);
        Assert.Equal(TimeSpan.FromMicroseconds(16), record.Latency);
        Assert.Equal(27, record.Entries.Count); // "#27/27"
        Assert.Equal(("do_sys_openat2", "__x64_sys_openat", 403), (record.Entries[0].Function, record.Entries[0].Parent, record.Entries[0].ProcessId));
        Assert.Same(trace, record.Trace);
        Assert.Equal("irqsoff: 16 us on CPU 0 in -0", record.ToString());
    }

    [Fact]
    public void OnlyLatencyTracersAreMeasured()
    {
        var e = Assert.Throws<Core.Tracefs.TraceException>(() => LatencyMeasurement.Measure(Core.Tracefs.Tracefs.At("/nonexistent"), "function", TimeSpan.FromSeconds(1), default));
        Assert.Equal("NotALatencyTracer", e.ErrorId);
    }
}
