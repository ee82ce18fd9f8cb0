using System.Diagnostics;
using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Exec;
using PSTrace.Tests.Bpf;

namespace PSTrace.Tests.Sessions;

/// <summary>
/// A BPF session against this machine's kernel: exec.bpf.o loaded and attached, its ring buffer read through the
/// same LiveSession as a tracefs watch, an end request that loses nothing, and no program or map left after Dispose.
/// </summary>
public sealed class LiveSessionBpfLiveTests
{
    [LiveBpfFact]
    public void An_exec_shows_its_arguments_read_in_the_kernel_and_nothing_stays_loaded()
    {
        string tag = "pstrace-bpf-" + Guid.NewGuid().ToString("N");
        List<object> read;
        HashSet<string> held;
        using (LiveSession session = LiveSession.StartBpf(new BpfExecWatcher(), new WatchFilter(commands: ["true"])))
        {
            held = HeldBpfObjects();
            Assert.Contains(held, id => id.StartsWith("prog_id", StringComparison.Ordinal));
            Assert.Contains(held, id => id.StartsWith("map_id", StringComparison.Ordinal));
            Assert.Null(session.TracefsBuffer);
            var start = new ProcessStartInfo("/bin/true") { ArgumentList = { tag, "two words", "" } };
            using (Process p = Process.Start(start)!)
            {
                p.WaitForExit();
            }

            session.RequestEnd();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            read = session.Read(timeout.Token).ToList();
            Assert.False(timeout.IsCancellationRequested, "the end request did not end the read");
        }

        ExecEvent e = Assert.Single(read.OfType<ExecEvent>(), r => r.Arguments?.Contains(tag) == true);
        Assert.Equal(new string?[] { "/bin/true", tag, "two words", "" }, e.Arguments);
        Assert.Equal("/bin/true", e.Path);
        Assert.Equal("true", e.Command);
        Assert.Equal(0, e.ReturnValue);
        Assert.Equal(Environment.ProcessId, e.ParentProcessId);
        Assert.Equal(e.ProcessId, e.ThreadId);
        Assert.False(e.ArgumentsTruncated);
        Assert.InRange(e.Time!.Value, DateTime.Now.AddMinutes(-1), DateTime.Now);
        Assert.DoesNotContain(read, item => item is TraceLostEvents);
        Assert.Empty(HeldBpfObjects());
    }

    [LiveBpfFact]
    public void A_failed_exec_has_its_errno_path_and_arguments()
    {
        string missing = "/nonexistent/pstrace-" + Guid.NewGuid().ToString("N");
        List<object> read;
        using (LiveSession session = LiveSession.StartBpf(new BpfExecWatcher(maxArguments: 2)))
        {
            // dash execs a name with a slash as it is (execve), so the kernel is asked and refuses.
            using (Process sh = Process.Start("/bin/sh", ["-c", $"exec {missing} a b"]))
            {
                sh.WaitForExit();
            }

            session.RequestEnd();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            read = session.Read(timeout.Token).ToList();
        }

        ExecEvent e = Assert.Single(read.OfType<ExecEvent>(), r => r.Path == missing);
        Assert.Equal(-2, e.ReturnValue);
        Assert.Equal("ENOENT", e.Error);
        Assert.Equal(new string?[] { missing, "a" }, e.Arguments);
        Assert.True(e.ArgumentsTruncated);
    }

    /// <summary>The BPF programs and maps this process holds a descriptor of ("prog_id 12", "map_id 7"), from /proc/self/fdinfo.</summary>
    private static HashSet<string> HeldBpfObjects()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (string info in Directory.EnumerateFiles("/proc/self/fdinfo"))
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(info);
            }
            catch (IOException)
            {
                continue; // closed while listed
            }

            foreach (string line in lines.Where(l => l.StartsWith("prog_id:", StringComparison.Ordinal) || l.StartsWith("map_id:", StringComparison.Ordinal)))
            {
                ids.Add(line.Replace(":", "", StringComparison.Ordinal).Replace('\t', ' ').Trim());
            }
        }

        return ids;
    }
}
