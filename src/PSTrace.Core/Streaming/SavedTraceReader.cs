using PSTrace.Core.Formats;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Text;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Reads saved trace text of any tracer with the reader that fits it (see <see cref="TraceFormatSniffer"/>):
/// function_graph output into <see cref="Records.FunctionCall"/> trees, function tracer output into
/// <see cref="Records.FunctionHit"/>, anything else into <see cref="Records.TraceEvent"/>; lost-event
/// notes into <see cref="Records.TraceLostEvents"/> in every case. Files go through
/// <see cref="SavedTraceText"/>, which also refuses what is not trace text.
/// </summary>
public static class SavedTraceReader
{
    /// <param name="text">The saved text; read once, front to back (a pipe will do).</param>
    /// <param name="catalog">Event formats, for the fields of events; null to parse line shapes only.</param>
    /// <param name="flat">function_graph: one record per call rather than one per tree.</param>
    public static IEnumerable<object> Read(TextReader text, EventFormatCatalog? catalog = null, bool flat = false) =>
        SavedTraceText.Look(text).Read(catalog, flat);

    internal static IEnumerable<object> ReadAs(TraceTextFormat format, TextReader text, EventFormatCatalog? catalog, bool flat) => format switch
    {
        TraceTextFormat.FunctionGraph => new FunctionGraphTextReader(flat).Read(text),
        TraceTextFormat.Function => new FunctionTraceTextReader().Read(text),
        _ => TraceTextReader.Read(text, catalog),
    };
}
