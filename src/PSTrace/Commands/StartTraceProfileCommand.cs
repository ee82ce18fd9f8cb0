using System.Management.Automation;
using PSTrace.Core.Processes;
using PSTrace.Core.Profiling;
using PSTrace.Core.Records;
using PSTrace.Core.Tracers;

namespace PSTrace.Commands;

/// <summary>
/// Start-TraceProfile: where CPU time goes (stacks sampled at -Frequency on every CPU), or with -OffCpu where tasks
/// block and for how long, counted in the kernel by PSTrace's BPF programs and written at the end as one
/// ProfileStack per thread and stack, the most samples (or the longest time) first.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "TraceProfile", DefaultParameterSetName = AllSet)]
[OutputType(typeof(ProfileStack))]
public sealed class StartTraceProfileCommand : TraceCmdlet
{
    private const string AllSet = "All";
    private const string ProcessSet = "Process";
    private const string CommandSet = "Command";
    private const string ScriptBlockSet = "ScriptBlock";

    /// <summary>How often the pids seen so far are looked at, to read the mappings of new ones while they live.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SortedSet<int> _processIds = new();

    /// <summary>Profile only this process (every thread of it); filtered in the kernel.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProcessSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int ProcessId { get; set; }

    /// <summary>Start this program (a path, or a name on PATH) and profile only it, from its first instruction.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CommandSet)]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    /// <summary>Arguments for -Command, passed as they are (no shell splits or expands them).</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [Alias("Args")]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Run this PowerShell code in a new pwsh process and profile only that process.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptBlockSet)]
    public ScriptBlock? ScriptBlock { get; set; }

    /// <summary>Leave the program -Command or -ScriptBlock started running when the profile ends or this pwsh dies.</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = ScriptBlockSet)]
    public SwitchParameter LeaveRunning { get; set; }

    /// <summary>
    /// How long to profile (seconds, "500ms", "2m", or a TimeSpan). Required for all processes and -ProcessId; with
    /// -Command or -ScriptBlock the profile otherwise ends when the program does.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    [Parameter(Mandatory = true, ParameterSetName = ProcessSet)]
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = ScriptBlockSet)]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Samples a second on each CPU (1 to 10000; 99 by default, as perf and bpftrace). Not used with -OffCpu.</summary>
    [Parameter]
    public int Frequency { get; set; } = 99;

    /// <summary>Count where tasks block and for how long (sched_switch), as offcputime does, instead of sampling on CPU.</summary>
    [Parameter]
    public SwitchParameter OffCpu { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ProcessSet)
        {
            _processIds.Add(ProcessId);
        }
    }

    protected override void EndProcessing()
    {
        if (_processIds.Count > 1)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("OneProcessOnly",
                $"Start-TraceProfile profiles one process (its kernel filter holds one), and {_processIds.Count} came: {string.Join(", ", _processIds)}.",
                _processIds.ToArray(), "Pipe one process (Select-Object -First 1), or profile every process and keep some: Start-TraceProfile -Duration 10 | Where-Object ProcessId -in $ids."));
        }

        ProfileKind kind = OffCpu ? ProfileKind.OffCpu : ProfileKind.OnCpu;
        if (kind == ProfileKind.OnCpu)
        {
            Guard(() => StackProfiler.CheckFrequency(Frequency));
        }
        else if (MyInvocation.BoundParameters.ContainsKey(nameof(Frequency)))
        {
            WriteWarning("-Frequency is not used with -OffCpu: every switch off the CPU is counted.");
        }

        GatedProcess? program = ParameterSetName is CommandSet or ScriptBlockSet ? StartProgram() : null;
        IReadOnlyList<ProfileStack>? stacks;
        try
        {
            stacks = Profile(kind, program);
        }
        finally
        {
            program?.Dispose();
        }

        // Written once the programs and maps are gone: a slow or stopped pipeline holds nothing in the kernel.
        foreach (ProfileStack stack in stacks ?? [])
        {
            WriteObject(stack);
        }
    }

    /// <summary>Counts until the end and reads the counts; null when stopped (Ctrl+C), which writes nothing.</summary>
    private IReadOnlyList<ProfileStack>? Profile(ProfileKind kind, GatedProcess? program)
    {
        int pid = program?.ProcessId ?? (ParameterSetName == ProcessSet ? ProcessId : 0);
        using StackProfiler profiler = Guard(() => StackProfiler.Start(kind, Frequency, pid));
        WriteVerbose($"Profiling {(pid == 0 ? "every process" : "process " + pid)} {(kind == ProfileKind.OnCpu ? $"at {Frequency} Hz" : "off CPU")}: {profiler.Description}.");
        program?.Release();
        if (!Wait(profiler, program, pid))
        {
            return null;
        }

        IReadOnlyList<ProfileStack> stacks = profiler.Stop();
        WriteVerbose($"{stacks.Count} stack(s) of {stacks.Select(s => s.ProcessId).Distinct().Count()} process(es); mappings of {profiler.ProcessesRead} process(es) read to name their frames.");
        if (profiler.Lost > 0)
        {
            WriteWarning($"{profiler.Lost} {(kind == ProfileKind.OnCpu ? "sample(s)" : "block(s)")} could not be counted: the kernel's table of stacks was full. Profile a shorter time or one process.");
        }

        return stacks;
    }

    /// <summary>Waits for the end: -Duration, the started program's exit, or the profiled process's; false when stopped (Ctrl+C).</summary>
    private bool Wait(StackProfiler profiler, GatedProcess? program, int pid)
    {
        DateTime? deadline = Duration > TimeSpan.Zero ? DateTime.UtcNow + Duration : null;
        while (!Cancellation.WaitHandle.WaitOne(PollInterval))
        {
            profiler.Poll();
            if (DateTime.UtcNow >= deadline || program is { HasExited: true } || (program is null && pid != 0 && !ProcessInfo.IsAlive(pid)))
            {
                return true;
            }
        }

        return false;
    }

    private GatedProcess StartProgram() => ProgramStarter.Start(this, Command, ArgumentList, ScriptBlock, LeaveRunning, Cancellation, "profiling");
}
