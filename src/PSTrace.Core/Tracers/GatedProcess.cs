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
/// <remarks>
/// Unless asked to leave it running, the program does not outlive the trace it was started for: a stop of
/// the trace (Ctrl+C) interrupts it as a terminal's Ctrl+C would (<see cref="InterruptOn"/>: SIGINT, then
/// SIGKILL after <see cref="InterruptGrace"/>), and the death of this process, even by kill -9, sends it
/// SIGTERM: setpriv sets the parent death signal before the shell runs, and the fork comes from a thread
/// that lives as long as this process (<see cref="ProgramLauncher"/>).
/// </remarks>
public sealed class GatedProcess : IDisposable
{
    // The shell's own pid is the program's after exec; "$@" keeps every argument as given, no re-splitting.
    private const string Gate = "kill -STOP $$ && exec \"$@\"";

    /// <summary>How long a start waits for the shell to stop itself: generous, for a busy machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long an interrupted program has to exit before it is killed.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    // util-linux's setpriv sets the parent death signal and execs the gate: the pid stays the program's.
    private const string SetPriv = "/usr/bin/setpriv";
    private const string DeathSignal = "TERM";

    private readonly Process _process;
    private bool _released;
    private int _killPending;
    private CancellationTokenRegistration _interruptOn;

    private GatedProcess(Process process, string program, bool diesWithThisProcess)
    {
        _process = process;
        Program = program;
        DiesWithThisProcess = diesWithThisProcess;
    }

    /// <summary>Whether the program gets SIGTERM when this process dies (false when left running on purpose, or without setpriv).</summary>
    public bool DiesWithThisProcess { get; }

    /// <summary>What happens to the program when the trace stops or this process dies, for -Verbose.</summary>
    public string Fate(bool leaveRunning) => leaveRunning
        ? $"{Program} (pid {ProcessId}) is left running when the trace stops or this process ends, as asked."
        : $"If the trace is stopped (Ctrl+C), {Program} (pid {ProcessId}) gets SIGINT, and SIGKILL {InterruptGrace.TotalSeconds:0} s later if it is still running; "
          + (DiesWithThisProcess ? "if this process dies, it gets SIGTERM." : $"{SetPriv} is missing, so it would outlive this process if that were killed.");

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
    /// <param name="leaveRunning">Start it without a parent death signal, to outlive this process.</param>
    public static GatedProcess Start(string program, IReadOnlyList<string> arguments, TimeSpan timeout, bool leaveRunning = false)
    {
        string resolved = Resolve(program);
        bool tied = !leaveRunning && File.Exists(SetPriv);
        var info = new ProcessStartInfo(tied ? SetPriv : "/bin/sh") { UseShellExecute = false };
        if (tied)
        {
            foreach (string a in new[] { "--pdeathsig", DeathSignal, "--", "/bin/sh" })
            {
                info.ArgumentList.Add(a);
            }
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Gate);
        info.ArgumentList.Add("pstrace-gate"); // $0
        info.ArgumentList.Add(resolved);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = ProgramLauncher.Start(info);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "CommandStartFailed", $"Could not start {resolved}: {e.Message}", null, program, e);
        }

        var gated = new GatedProcess(process, resolved, tied);
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

    /// <summary>Interrupts the program when <paramref name="token"/> fires (the trace was stopped): see <see cref="Interrupt"/>.</summary>
    public void InterruptOn(CancellationToken token) => _interruptOn = token.Register(Interrupt);

    /// <summary>
    /// Stops a running program as a terminal's Ctrl+C would: SIGINT now, SIGKILL after <see cref="InterruptGrace"/>
    /// if it has not exited. Returns at once; the SIGKILL, if needed, comes from a timer.
    /// </summary>
    public void Interrupt()
    {
        if (!_released || _process.HasExited)
        {
            return;
        }

        try
        {
            Libc.Kill(_process.Id, Libc.SIGINT);
        }
        catch (NativeException e) when (e.Errno == Errno.ESRCH)
        {
            return;
        }

        if (Interlocked.Exchange(ref _killPending, 1) == 0)
        {
            // The Process object stays open until the timer is done with it (Dispose leaves it then).
            _ = Task.Delay(InterruptGrace).ContinueWith(_ => KillIfRunning(), TaskScheduler.Default);
        }
    }

    private void KillIfRunning()
    {
        try
        {
            if (!_process.HasExited)
            {
                Libc.Kill(_process.Id, Libc.SIGKILL);
            }
        }
        catch (NativeException e) when (e.Errno == Errno.ESRCH)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>A program never released is killed: it was only ever meant to run traced.</summary>
    public void Dispose()
    {
        // Waits for an Interrupt already running on the stopping thread.
        _interruptOn.Dispose();
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

        if (Volatile.Read(ref _killPending) == 0)
        {
            _process.Dispose();
        }
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
