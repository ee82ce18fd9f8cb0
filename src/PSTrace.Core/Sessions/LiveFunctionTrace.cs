using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracers;

namespace PSTrace.Core.Sessions;

/// <summary>
/// A live function or function_graph trace read as every other live command reads: the binary pages of per-CPU
/// trace_pipe_raw through an <see cref="EventSource"/> (optionally kept as a trace.dat capture), funcgraph_entry,
/// funcgraph_exit and function records named through /proc/kallsyms, lost events as TraceLostEvents. It stops the
/// way a <see cref="LiveSession"/> does, losing nothing: <see cref="RequestEnd"/> writes a marker into the buffer,
/// and reading ends when it comes out, after everything the tracer recorded before it.
/// </summary>
public sealed class LiveFunctionTrace : IDisposable
{
    private readonly FunctionTracing _tracing;
    private readonly string _endMarker;

    private LiveFunctionTrace(FunctionTracing tracing, EventSource source, bool flat)
    {
        _tracing = tracing;
        Source = source;
        Reader = new FunctionTraceReader(source, tracing.Options.IsGraph, flat);
        _endMarker = "pstrace-end-" + tracing.SessionName;
    }

    public EventSource Source { get; }

    /// <summary>The records read and the events left out.</summary>
    public FunctionTraceReader Reader { get; }

    /// <summary>The raw timestamp of the end marker, once it came out of the buffer.</summary>
    public ulong? EndMarkerTimestamp { get; private set; }

    /// <summary>Where reading ended: just before the end marker, or at the last event handed on when stopped before it.</summary>
    public ulong? EndOfRead => EndMarkerTimestamp is ulong end && end > 0 ? end - 1 : Source.LastHandedOn;

    /// <summary>Whether the tracer's buffer can be read as binary pages (else only trace_pipe's text is left).</summary>
    public static bool CanRead(FunctionTracing tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return RawTraceReader.IsAvailable(tracing.Buffer) && Directory.Exists(Path.Combine(tracing.Buffer.TracefsRoot, "events", "ftrace"));
    }

    /// <summary>Opens the tracer's buffer (tracing may still be off); with <paramref name="captureTo"/> the pages read are kept for a trace.dat.</summary>
    /// <param name="flat">function_graph: one FunctionCall per call.</param>
    /// <exception cref="Tracefs.TraceException">The page layout cannot be read.</exception>
    /// <exception cref="IOException">The capture cannot be written where asked.</exception>
    public static LiveFunctionTrace Open(FunctionTracing tracing, bool flat, string? captureTo)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        var catalog = EventFormatCatalog.Load(Path.Combine(tracing.Buffer.TracefsRoot, "events"));
        EventSource source = EventSource.OpenLive(tracing.Buffer, catalog, captureTo: captureTo);

        // Symbols before tracing starts: read on the first record, /proc/kallsyms would hold the reader up for
        // seconds (under emulation longer than the end of a trace waits for it).
        _ = source.Symbols;
        return new LiveFunctionTrace(tracing, source, flat);
    }

    /// <summary>The tracer's records and TraceLostEvents until <paramref name="cancel"/> fires or the end marker comes out.</summary>
    public IEnumerable<object> Read(CancellationToken cancel) => Reader.ReadFrom(UntilEnd(Source.Read(cancel)));

    /// <summary>Asks the reader to stop once it has read everything recorded so far (see the class remarks).</summary>
    public void RequestEnd() => _tracing.Buffer.Write("trace_marker", _endMarker);

    /// <summary>Writes the capture, if any, ending where reading did; see <see cref="EventSource.CompleteCapture"/>.</summary>
    public string? CompleteCapture() => Source.CompleteCapture(keepThrough: EndOfRead);

    public void Dispose() => Source.Dispose();

    private IEnumerable<object> UntilEnd(IEnumerable<object> events)
    {
        foreach (object item in events)
        {
            if (item is TraceEvent ev && EventFields.MarkerText(ev) == _endMarker)
            {
                EndMarkerTimestamp = ev.TimestampNanoseconds;
                yield break;
            }

            yield return item;
        }
    }
}
