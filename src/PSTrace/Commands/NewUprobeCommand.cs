using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Processes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// New-Uprobe: creates a uprobe or uretprobe on a function of a program or library (uprobe_events), found by
/// name in its ELF symbols, or at a file offset. It persists until Remove-TraceProbe removes it.
/// </summary>
[Cmdlet(VerbsCommon.New, "Uprobe", DefaultParameterSetName = FunctionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TraceProbe))]
public sealed class NewUprobeCommand : ProbeCommandBase
{
    private const string FunctionSet = "Function";
    private const string OffsetSet = "Offset";

    /// <summary>The program or library: a path, a program on PATH ("bash"), or a library name ("libc.so.6", "libc").</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FunctionSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = OffsetSet)]
    public string Path { get; set; } = "";

    /// <summary>The function, by its symbol name ("readline", "getaddrinfo@@GLIBC_2.2.5").</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = FunctionSet)]
    [ArgumentCompleter(typeof(ElfFunctionCompleter))]
    public string Function { get; set; } = "";

    /// <summary>The probed instruction's offset in the file (not its virtual address).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OffsetSet)]
    public ulong Offset { get; set; }

    /// <summary>Probe the function's return (a uretprobe) instead of its entry.</summary>
    [Parameter(ParameterSetName = FunctionSet)]
    [Parameter(ParameterSetName = OffsetSet)]
    public SwitchParameter Return { get; set; }

    /// <summary>Fetch-args: an ordered hashtable name -> fetcharg, "name=fetcharg" strings, or objects with Name and Fetch.</summary>
    [Parameter(Position = 2, ParameterSetName = FunctionSet)]
    [Parameter(Position = 1, ParameterSetName = OffsetSet)]
    public object[]? Argument { get; set; }

    /// <summary>Find -Path among the files this process has mapped, as the process sees them (/proc/PID/maps and /proc/PID/root).</summary>
    [Parameter(ParameterSetName = FunctionSet)]
    [Alias("Id")]
    public int ProcessId { get; set; }

    protected override string Feature => "Uprobes";

    protected override bool MakesKernelProbes => false;

    protected override object[]? ArgumentInput => Argument;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ProcessId)) && !ProcessInfo.IsAlive(ProcessId))
        {
            ThrowTerminatingError(ErrorRecords.Parameter("ProcessNotFound", $"There is no process with id {ProcessId}.", ProcessId));
        }
    }

    protected override ProbeDefinition BuildFromParameters(IReadOnlyList<string> arguments)
    {
        CheckField(nameof(Path), Path, "path");
        ProbeKind kind = Return ? ProbeKind.Uretprobe : ProbeKind.Uprobe;
        var resolver = new UprobeResolver();
        if (ParameterSetName == OffsetSet)
        {
            string file = resolver.LocateFile(Path);
            UserProbePoint at = Check(nameof(Path), () => UserProbePoint.Create(file, Offset));
            WriteVerbose($"{Path} is {file}.");
            return ProbeDefinition.Create(kind, at, Name, Group, arguments);
        }

        CheckField(nameof(Function), Function, "function name");
        UprobeTarget target = MyInvocation.BoundParameters.ContainsKey(nameof(ProcessId))
            ? resolver.ResolveInProcess(ProcessId, Path, Function)
            : resolver.Resolve(Path, Function);
        WriteVerbose($"{Function} in {Path} is {target}" + (target.IsFixedAddressExecutable ? " (a non-PIE program: the file offset differs from the address)." : "."));
        UserProbePoint place = Check(nameof(Path), target.ToProbePoint);
        return ProbeDefinition.Create(kind, place, Name ?? FunctionEventName.For(Function, Return), Group, arguments);
    }
}
