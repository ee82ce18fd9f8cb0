using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

/// <summary>trace_pipe read live, as the text reader reads it.</summary>
public sealed class TracePipeTextReaderTests
{
    [LiveFact]
    public void AnEventOfSeveralLinesComesWholeAndWithoutWaitingForTheNextOne()
    {
        using TraceSession s = TraceSession.Start(LiveKernel.Open());
        File.WriteAllText(s.Buffer.PathOf("trace_marker"), "first\nsecond\n"); // one write: one event
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var pipe = new TracePipeTextReader(s.Buffer, cancel.Token);

        using IEnumerator<object> events = TraceTextReader.Read(pipe).GetEnumerator();

        Assert.True(events.MoveNext());
        Assert.False(cancel.IsCancellationRequested, "the event waited for the end of the read");
        TraceEvent marker = Assert.IsType<TraceEvent>(events.Current);
        Assert.Equal(("ftrace", "print", "first\nsecond\n"), (marker.System, marker.Name, marker.Fields["buf"]));
    }
}
