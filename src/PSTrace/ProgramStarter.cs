using System.Management.Automation;
using PSTrace.Core.Tracefs;
using PSTrace.Core.Tracers;

namespace PSTrace;

/// <summary>
/// Starts the program a command traces or profiles from its first instruction (-Command with -ArgumentList, or
/// -ScriptBlock in a new pwsh): stopped until the caller has set the kernel up, tied to this pwsh unless left
/// running, and interrupted when the command is stopped.
/// </summary>
internal static class ProgramStarter
{
    /// <param name="what">What waits for it, for -Verbose ("tracing", "profiling").</param>
    public static GatedProcess Start(PSCmdlet cmdlet, string? command, IReadOnlyList<string> arguments, ScriptBlock? script, bool leaveRunning, CancellationToken stop, string what)
    {
        // A path (./prog) is taken from PowerShell's location, not the process's working directory; a bare name from PATH.
        string? program = command is not null && command.Contains('/', StringComparison.Ordinal) ? cmdlet.GetUnresolvedProviderPathFromPSPath(command) : command;
        (string file, IReadOnlyList<string> args) = script is not null ? PwshLauncher.For(script, cmdlet.SessionState) : (program!, arguments);
        GatedProcess started;
        try
        {
            started = GatedProcess.Start(file, args, GatedProcess.DefaultTimeout, leaveRunning);
        }
        catch (TraceException e)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.From(e));
            throw; // not reached
        }

        cmdlet.WriteVerbose($"Started {started.Program} as process {started.ProcessId}, stopped until {what} begins.");
        cmdlet.WriteVerbose(started.Fate(leaveRunning));
        if (!leaveRunning)
        {
            started.InterruptOn(stop);
        }

        return started;
    }
}
