using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Records;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// What Get-TraceEvent shows of a trace.dat file: its events, with the function_graph tracer's records
/// built into <see cref="FunctionCall"/> trees. Here rather than on <see cref="TraceDatFile"/> because the
/// call-tree builder comes after Binary/ in the engine's folder order.
/// </summary>
public static class TraceDatFileRecords
{
    /// <summary>The file's events, graph records built into call trees (named through the file's kallsyms).</summary>
    /// <param name="flat">One FunctionCall per call rather than one per outermost call.</param>
    public static IEnumerable<object> ReadRecords(this TraceDatFile file, string? buffer = null, bool flat = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        return FunctionGraphRecords.BuildCalls(file.ReadEvents(buffer), () => file.Kallsyms, flat);
    }
}
