namespace PSTrace.Core.Text;

/// <summary>What a saved trace text holds, which decides the reader and the records it gives.</summary>
public enum TraceTextFormat
{
    /// <summary>Trace events (tracepoints, probes; the nop tracer): <see cref="Records.TraceEvent"/>.</summary>
    Events,

    /// <summary>The function_graph tracer's output: <see cref="Records.FunctionCall"/> trees.</summary>
    FunctionGraph,

    /// <summary>The function tracer's output: <see cref="Records.FunctionHit"/>.</summary>
    Function,
}
