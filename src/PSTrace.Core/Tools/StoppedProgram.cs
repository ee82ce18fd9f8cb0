using System.Diagnostics;
using System.Globalization;
using PSTrace.Core.Native;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// A program started held at its first step, so a watch can be set up on its process before it runs
/// anything (the way strace starts what it traces). A shell stops itself with SIGSTOP, and on
/// <see cref="Resume"/> it execs the program in the same process. Disposing a program that was never
/// resumed kills it: nothing is left stopped.
/// </summary>
public sealed class StoppedProgram : IDisposable
{
    private const string Gate = "kill -STOP $$ && exec \"$0\" \"$@\"";
    private readonly Process _process;
    private bool _resumed;

    private StoppedProgram(Process process, string path)
    {
        _process = process;
        Path = path;
    }

    public int ProcessId => _process.Id;

    /// <summary>The program's full path.</summary>
    public string Path { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts <paramref name="program"/> (a path, or a name found on PATH) and waits until it is held.</summary>
    public static StoppedProgram Start(string program, IEnumerable<string>? arguments = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        string path = program.Contains('/', StringComparison.Ordinal) ? System.IO.Path.GetFullPath(program) : new LibraryLocator().FindProgram(program) ?? "";
        if (!File.Exists(path))
        {
            throw new TraceException(TraceErrorKind.NotFound, "ProgramNotFound", $"There is no program '{program}'" + (program.Contains('/', StringComparison.Ordinal) ? "." : " on PATH."),
                "Give the program's full path.", program);
        }

        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string a in new[] { "-c", Gate, path }.Concat(arguments ?? []))
        {
            start.ArgumentList.Add(a);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start.");
        var held = new StoppedProgram(process, path);
        try
        {
            held.WaitUntilStopped(timeout ?? TimeSpan.FromSeconds(10));
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Lets the program run (SIGCONT).</summary>
    public void Resume()
    {
        Libc.Kill(ProcessId, Libc.SIGCONT);
        _resumed = true;
    }

    public void Dispose()
    {
        if (!_resumed && !_process.HasExited)
        {
            try
            {
                Libc.Kill(ProcessId, Libc.SIGKILL);
                _process.WaitForExit(5000);
            }
            catch (NativeException)
            {
                // Already gone.
            }
        }

        _process.Dispose();
    }

    private void WaitUntilStopped(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string stat = string.Create(CultureInfo.InvariantCulture, $"/proc/{ProcessId}/stat");
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new TraceException(TraceErrorKind.InvalidArgument, "ProgramExited", $"{Path} exited before it could be watched (exit code {_process.ExitCode}).", null, Path);
            }

            try
            {
                string text = File.ReadAllText(stat);
                int close = text.LastIndexOf(')');
                if (close > 0 && close + 2 < text.Length && text[close + 2] is 'T' or 't')
                {
                    return;
                }
            }
            catch (IOException)
            {
            }

            Thread.Sleep(5);
        }

        throw new TraceException(TraceErrorKind.Busy, "ProgramNotHeld", $"{Path} did not stop at its start within {timeout.TotalSeconds:0} s.", null, Path);
    }
}
