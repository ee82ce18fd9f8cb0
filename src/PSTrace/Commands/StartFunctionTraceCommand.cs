using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Tracers;

namespace PSTrace.Commands;

/// <summary>
/// Start-FunctionTrace: the function tracer as a stream of FunctionHit objects (which function, called
/// by which, in which task, when). Runs in its own session and puts back everything it changed.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "FunctionTrace", DefaultParameterSetName = AllSet)]
[OutputType(typeof(FunctionHit))]
public sealed class StartFunctionTraceCommand : FunctionTracerCommandBase
{
    protected override string Tracer => FunctionTracingOptions.FunctionTracer;

    protected override IEnumerable<object> Parse(TextReader text) => new FunctionTraceTextReader().Read(text);
}
