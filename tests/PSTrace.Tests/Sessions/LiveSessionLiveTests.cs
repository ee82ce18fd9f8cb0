using System.Diagnostics;
using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;
using PSTrace.Tests.Tracefs;

namespace PSTrace.Tests.Sessions;

/// <summary>LiveSession against this machine's kernel: events of a session, the end marker as its one stop, a capture, and nothing left behind.</summary>
public sealed class LiveSessionLiveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-livesession-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [LiveFact]
    public void An_exec_during_the_session_is_read_and_the_end_marker_ends_the_read()
    {
        Core.Tracefs.Tracefs fs = LiveKernel.Open();
        string capture = Path.Combine(_dir, "exec.dat");
        var watcher = new EventListWatcher([new EventId("sched", "sched_process_exec")], "filename == \"/bin/true\"");
        string instance;
        List<object> read;
        using (LiveSession session = LiveSession.Start(fs, watcher, new LiveSessionOptions { CaptureTo = capture }))
        {
            instance = session.Session.Name;
            Assert.True(Directory.Exists(session.Buffer.Directory));
            using (Process.Start("/bin/true", "pstrace-live-session")!)
            {
            }

            Thread.Sleep(200);
            session.RequestEnd();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            read = session.Read(timeout.Token).ToList();
            Assert.False(timeout.IsCancellationRequested, "the end marker did not end the read");
            Assert.Contains("Wrote", session.CompleteCapture(), StringComparison.Ordinal);
        }

        Assert.Contains(read.OfType<TraceEvent>(), e => e.Name == "sched_process_exec" && EventFields.String(e, "filename") == "/bin/true");
        Assert.DoesNotContain(read.OfType<TraceEvent>(), e => EventFields.MarkerText(e) is not null);
        Assert.False(Directory.Exists(Path.Combine(fs.Root, "instances", instance)));
        Assert.True(File.Exists(capture));
    }
}
