using PSTrace.Core.Processes;
using PSTrace.Core.Tracefs;
using PSTrace.Core.Tracers;

namespace PSTrace.Tests.Tracers;

/// <summary>The process side of tracing a program: its threads, and starting it stopped until the tracer is ready.</summary>
public class ProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void ThreadsOfThisProcess_MainThreadFirst()
    {
        IReadOnlyList<int> threads = ProcessThreads.Of(Environment.ProcessId);
        Assert.Equal(Environment.ProcessId, threads[0]);
        Assert.True(threads.Count > 1, "a .NET process runs several threads");
        Assert.Equal(threads.Count, threads.Distinct().Count());
    }

    [Fact]
    public void ThreadsOfAMissingProcess()
    {
        var e = Assert.Throws<TraceException>(() => ProcessThreads.Of(int.MaxValue));
        Assert.Equal("ProcessNotFound", e.ErrorId);
    }

    [Fact]
    public void GatedProgramWaitsStopped_ThenRunsAsThatPid()
    {
        string marker = Path.Combine(Path.GetTempPath(), "pstrace-gate-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The program writes its own pid: after exec it must be the pid the gate reported.
            using GatedProcess gated = GatedProcess.Start("sh", ["-c", "echo $$ > " + marker], Timeout);
            Assert.Equal("/", gated.Program[..1]);
            Assert.Equal('T', ProcessInfo.StateOf(gated.ProcessId));
            Thread.Sleep(200);
            Assert.False(File.Exists(marker), "the program ran before it was released");
            Assert.False(gated.HasExited);

            gated.Release();
            Assert.True(gated.WaitForExit(Timeout));
            Assert.Equal(0, gated.ExitCode);
            Assert.Equal(gated.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(marker).Trim());
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public void ArgumentsPassAsGiven()
    {
        string marker = Path.Combine(Path.GetTempPath(), "pstrace-gate-" + Guid.NewGuid().ToString("N"));
        try
        {
            // spaces, quotes and a $ reach the program untouched: no shell splits or expands them
            using GatedProcess gated = GatedProcess.Start("/bin/sh", ["-c", "printf '%s|' \"$@\" > " + marker, "x", "a b", "'q'", "$HOME"], Timeout);
            gated.Release();
            Assert.True(gated.WaitForExit(Timeout));
            Assert.Equal("a b|'q'|$HOME|", File.ReadAllText(marker));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public void ExitCodeOfTheProgram()
    {
        using GatedProcess gated = GatedProcess.Start("false", [], Timeout);
        gated.Release();
        Assert.True(gated.WaitForExit(Timeout));
        Assert.Equal(1, gated.ExitCode);
    }

    [Fact]
    public void NeverReleased_IsKilledOnDispose()
    {
        GatedProcess gated = GatedProcess.Start("sleep", ["60"], Timeout);
        int pid = gated.ProcessId;
        gated.Dispose();
        Assert.Null(ProcessInfo.StateOf(pid));
    }

    [Theory]
    [InlineData("no-such-program-pstrace")]
    [InlineData("/nonexistent/bin/cat")]
    [InlineData("/etc/passwd")] // exists, not executable
    public void UnknownProgram_StartsNothing(string program)
    {
        var e = Assert.Throws<TraceException>(() => GatedProcess.Start(program, [], Timeout));
        Assert.Equal("CommandNotFound", e.ErrorId);
        Assert.Equal(program, e.Target);
    }
}
