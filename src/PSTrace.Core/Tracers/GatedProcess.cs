using System.Diagnostics;
using System.Globalization;
using PSTrace.Core.Native;
using PSTrace.Core.Processes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// A program started stopped: its process exists, with its pid, but has run none of the program's code
/// until <see cref="Release"/>, so a tracer can be pointed at that pid first (what `trace-cmd record -F`
/// does). A shell stops itself with SIGSTOP and, once continued, execs the program in the same process,
/// so the pid that was traced is the program's.
/// </summary>
public sealed class GatedProcess : IDisposable
{
    // The shell's own pid is the program's after exec; "$@" keeps every argument as given, no re-splitting.
    private const string Gate = "kill -STOP $$ && exec \"$@\"";

    /// <summary>How long a start waits for the shell to stop itself: generous, for a busy machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private bool _released;

    private GatedProcess(Process process, string program)
    {
        _process = process;
        Program = program;
    }

    /// <summary>The program as resolved (a full path).</summary>
    public string Program { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The program's exit code once it has exited; null before.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts the program stopped. Its standard input, output and error are this process's.
    /// </summary>
    /// <exception cref="TraceException">The program cannot be found, or the gate did not stop in time.</exception>
    public static GatedProcess Start(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        string resolved = Resolve(program);
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Gate);
        info.ArgumentList.Add("pstrace-gate"); // $0
        info.ArgumentList.Add(resolved);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info)
            ?? throw new TraceException(TraceErrorKind.InvalidArgument, "CommandStartFailed", $"Could not start {resolved}.", null, program);
        var gated = new GatedProcess(process, resolved);
        try
        {
            gated.WaitUntilStopped(timeout);
        }
        catch
        {
            gated.Dispose();
            throw;
        }

        return gated;
    }

    /// <summary>Lets the program run (SIGCONT to the stopped shell, which execs it).</summary>
    public void Release()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        Libc.Kill(_process.Id, Libc.SIGCONT);
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>A program never released is killed: it was only ever meant to run traced.</summary>
    public void Dispose()
    {
        if (!_released && !_process.HasExited)
        {
            try
            {
                Libc.Kill(_process.Id, Libc.SIGKILL);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (NativeException e) when (e.Errno == Errno.ESRCH)
            {
            }
        }

        _process.Dispose();
    }

    private void WaitUntilStopped(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            char? state = _process.HasExited ? null : ProcessInfo.StateOf(_process.Id);
            if (state == 'T')
            {
                return;
            }

            if (state is null || state == 'Z')
            {
                _process.WaitForExit();
                throw new TraceException(TraceErrorKind.InvalidArgument, "CommandEndedEarly",
                    $"The shell that starts {Program} ended (exit code {_process.ExitCode}) before it could be traced.", null, Program);
            }

            if (clock.Elapsed > timeout)
            {
                throw new TraceException(TraceErrorKind.Busy, "CommandGateTimeout",
                    $"The shell that starts {Program} did not stop itself within {timeout.TotalSeconds:0} s.", "Retry when the machine is less busy.", Program);
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>A path as given (when it has a '/'), else the first executable of that name on PATH.</summary>
    internal static string Resolve(string program)
    {
        if (program.Contains('/'))
        {
            string full = Path.GetFullPath(program);
            return IsExecutable(full) ? full : throw NotFound(program);
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw NotFound(program);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static TraceException NotFound(string program) => new(TraceErrorKind.NotFound, "CommandNotFound",
        $"'{program}' is not an executable file, nor a program on PATH.", "Give the program's path, or a name found on PATH (-Command runs a program, not a shell command line; use -ScriptBlock for PowerShell code).", program);
}
