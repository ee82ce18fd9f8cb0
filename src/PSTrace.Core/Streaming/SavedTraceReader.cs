using PSTrace.Core.Formats;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Text;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Reads saved trace text of any tracer with the reader that fits it (see <see cref="TraceFormatSniffer"/>):
/// function_graph output into <see cref="Records.FunctionCall"/> trees, function tracer output into
/// <see cref="Records.FunctionHit"/>, anything else into <see cref="Records.TraceEvent"/>; lost-event
/// notes into <see cref="Records.TraceLostEvents"/> in every case.
/// </summary>
public static class SavedTraceReader
{
    /// <param name="text">The saved text; read once, front to back (a pipe will do).</param>
    /// <param name="catalog">Event formats, for the fields of events; null to parse line shapes only.</param>
    /// <param name="flat">function_graph: one record per call rather than one per tree.</param>
    public static IEnumerable<object> Read(TextReader text, EventFormatCatalog? catalog = null, bool flat = false)
    {
        var head = new List<string>(TraceFormatSniffer.LinesToRead);
        while (head.Count < TraceFormatSniffer.LinesToRead && text.ReadLine() is { } line)
        {
            head.Add(line);
        }

        var replay = new ReplayTextReader(head, text);
        return Detected(TraceFormatSniffer.Detect(head), replay, catalog, flat);
    }

    private static IEnumerable<object> Detected(TraceTextFormat format, TextReader text, EventFormatCatalog? catalog, bool flat) => format switch
    {
        TraceTextFormat.FunctionGraph => new FunctionGraphTextReader(flat).Read(text),
        TraceTextFormat.Function => new FunctionTraceTextReader().Read(text),
        _ => TraceTextReader.Read(text, catalog),
    };

    /// <summary>The lines already read to look at, then the rest of the text.</summary>
    private sealed class ReplayTextReader : TextReader
    {
        private readonly List<string> _head;
        private readonly TextReader _rest;
        private int _next;

        public ReplayTextReader(List<string> head, TextReader rest)
        {
            _head = head;
            _rest = rest;
        }

        public override string? ReadLine() => _next < _head.Count ? _head[_next++] : _rest.ReadLine();

        public override int Peek() => -1;

        public override int Read() => throw new NotSupportedException("Saved traces are read by line.");
    }
}
