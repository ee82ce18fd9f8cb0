using System.Management.Automation;
using PSTrace.Core.Probes;

namespace PSTrace.Commands;

/// <summary>
/// New-Kprobe: creates a kprobe or kretprobe on a kernel function (kprobe_events). It persists until
/// Remove-TraceProbe removes it. On a kernel built without CONFIG_KPROBES it is a terminating error.
/// </summary>
[Cmdlet(VerbsCommon.New, "Kprobe", DefaultParameterSetName = FunctionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TraceProbe))]
public sealed class NewKprobeCommand : ProbeCommandBase
{
    private const string FunctionSet = "Function";

    /// <summary>The kernel function: SYMBOL or MODULE:SYMBOL.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FunctionSet)]
    [ArgumentCompleter(typeof(KernelFunctionCompleter))]
    public string Function { get; set; } = "";

    /// <summary>Bytes past the function's first instruction; 0 (the entry) when omitted.</summary>
    [Parameter(ParameterSetName = FunctionSet)]
    public uint Offset { get; set; }

    /// <summary>Probe the function's return (a kretprobe) instead of its entry.</summary>
    [Parameter(ParameterSetName = FunctionSet)]
    public SwitchParameter Return { get; set; }

    /// <summary>With -Return: how many calls the kretprobe can follow at once (the kernel's default when omitted).</summary>
    [Parameter(ParameterSetName = FunctionSet)]
    public int MaxActive { get; set; }

    /// <summary>Fetch-args: an ordered hashtable name -> fetcharg, "name=fetcharg" strings, or objects with Name and Fetch.</summary>
    [Parameter(Position = 1, ParameterSetName = FunctionSet)]
    public object[]? Argument { get; set; }

    protected override string Feature => "Kprobes";

    protected override bool MakesKernelProbes => true;

    protected override object[]? ArgumentInput => Argument;

    protected override ProbeDefinition BuildFromParameters(IReadOnlyList<string> arguments)
    {
        CheckField(nameof(Function), Function, "function name");
        int colon = Function.IndexOf(':', StringComparison.Ordinal);
        string? module = colon > 0 ? Function[..colon] : null;
        string symbol = colon > 0 ? Function[(colon + 1)..] : Function;
        KernelProbePoint place = Check(nameof(Function), () => KernelProbePoint.AtSymbol(symbol, Offset, module));
        ProbeKind kind = Return ? ProbeKind.Kretprobe : ProbeKind.Kprobe;
        string name = Name ?? FunctionEventName.For(Offset == 0 ? symbol : symbol + "_" + Offset, Return);
        int? maxActive = MyInvocation.BoundParameters.ContainsKey(nameof(MaxActive)) ? MaxActive : null;
        return ProbeDefinition.Create(kind, place, name, Group, arguments, maxActive);
    }
}
