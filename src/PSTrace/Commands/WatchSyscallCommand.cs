using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tracers;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Syscall;

namespace PSTrace.Commands;

/// <summary>
/// Watch-Syscall: system calls as they complete, like strace but without ptrace; of every process, of
/// -ProcessId, or of a program it starts (-Command). -Summary counts calls and time per system call.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "Syscall", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(SyscallEvent), typeof(SyscallSummary), typeof(TraceLostEvents))]
public sealed class WatchSyscallCommand : WatchCommandBase
{
    private GatedProcess? _program;

    /// <summary>System calls to watch (openat, read, *stat*); all when omitted.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Syscall { get; set; } = Array.Empty<string>();

    /// <summary>Start this program and watch it (and with -IncludeChildren what it starts) until it exits.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    /// <summary>Arguments for the program -Command starts.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Leave the program -Command started running when the watch stops (Ctrl+C) or this pwsh dies.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter LeaveRunning { get; set; }

    /// <summary>Write one summary per system call at the end (calls, errors, time), like strace -c.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override IEnumerable<int> AdditionalProcessIds => _program is null ? [] : [_program.ProcessId];

    protected override bool EndRequested => _program?.HasExited == true;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Command is not null)
        {
            WriteVerbose($"Starting {Command} held at its start.");
            _program = Guard(() => GatedProcess.Start(Command, ArgumentList, GatedProcess.DefaultTimeout, LeaveRunning));
            WriteVerbose(_program.Fate(LeaveRunning));
            if (!LeaveRunning)
            {
                _program.InterruptOn(Cancellation);
            }
        }
        else if (ArgumentList.Length > 0 || LeaveRunning)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("ArgumentsWithoutCommand", $"{(LeaveRunning ? "-LeaveRunning" : "-ArgumentList")} needs -Command.", ArgumentList, "Give the program with -Command."));
        }
    }

    protected override TraceWatcher CreateWatcher() => new SyscallWatcher(Syscall, Summary);

    protected override void OnSessionReady()
    {
        if (_program is not null)
        {
            WriteVerbose($"Letting {_program.Program} (pid {_program.ProcessId}) run.");
            Guard(_program.Release);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _program?.Dispose();
        }

        base.Dispose(disposing);
    }
}
