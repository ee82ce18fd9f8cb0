using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tracers;

namespace PSTrace.Core.Sessions;

/// <summary>
/// The function or function_graph tracer's records out of an <see cref="EventSource"/>, live or saved: binary
/// records named through the source's kernel symbols, text already read into records, other events left out
/// and counted. A saved trace is cut to -Function, -Exclude and -MaxDepth afterwards (<see cref="CallSelection"/>),
/// as the kernel's filters would have cut it live.
/// </summary>
public sealed class FunctionTraceReader
{
    private readonly EventSource _source;
    private readonly CallSelection? _selection;

    /// <param name="graph">function_graph (FunctionCall trees) rather than function (FunctionHit records).</param>
    /// <param name="flat">Live: one FunctionCall per call. A saved trace flattens through <paramref name="selection"/>.</param>
    /// <param name="selection">A saved trace's filters; null for a live buffer, which the kernel filtered.</param>
    public FunctionTraceReader(EventSource source, bool graph, bool flat = false, CallSelection? selection = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _selection = selection;
        Records = new FunctionTracerRecords(graph, () => source.Symbols, selection is null && flat);
    }

    /// <summary>What was read and what was left out as another kind of event.</summary>
    public FunctionTracerRecords Records { get; }

    /// <summary>The tracer's records and TraceLostEvents, until the source ends or <paramref name="cancel"/> fires.</summary>
    public IEnumerable<object> Read(CancellationToken cancel) => ReadFrom(_source.Read(cancel));

    /// <summary>The tracer's records of events already read from the source (a live read cut at its end marker).</summary>
    public IEnumerable<object> ReadFrom(IEnumerable<object> events)
    {
        IEnumerable<object> records = Records.Read(events);
        return _selection is null ? records : _selection.Apply(records);
    }
}
