using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Tracers;

namespace PSTrace.Commands;

/// <summary>
/// Start-FunctionGraph: the function_graph tracer as a stream of FunctionCall trees, each written when
/// its root returns; with -Flat, one object per call. Runs in its own session and puts back everything
/// it changed.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "FunctionGraph", DefaultParameterSetName = AllSet)]
[OutputType(typeof(FunctionCall))]
public sealed class StartFunctionGraphCommand : FunctionTracerCommandBase
{
    /// <summary>How deep to follow calls below each traced function (max_graph_depth); 1 shows the function alone.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxDepth { get; set; }

    /// <summary>One object per call, in the order they began, rather than one tree per outermost call.</summary>
    [Parameter]
    public SwitchParameter Flat { get; set; }

    protected override string Tracer => FunctionTracingOptions.GraphTracer;

    protected override int? GraphDepth => MaxDepth > 0 ? MaxDepth : null;

    protected override bool FlatCalls => Flat;

    protected override IEnumerable<object> Parse(TextReader text) => new FunctionGraphTextReader(Flat).Read(text);
}
