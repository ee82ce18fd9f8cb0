using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

/// <summary>Sessions and event control against this machine's kernel.</summary>
public class SessionLiveTests
{
    private static readonly EventId Exec = new("sched", "sched_process_exec");

    [LiveFact]
    public void ASessionRemovesItsInstanceOnDispose()
    {
        Core.Tracefs.Tracefs fs = LiveKernel.Open();
        string dir;
        using (TraceSession s = TraceSession.Start(fs))
        {
            dir = s.Buffer.Directory;
            s.EnableEvent(Exec, filter: "pid > 0");
            Assert.True(EventControl.IsEnabled(s.Buffer, Exec));
            Assert.Equal("pid > 0", EventControl.ReadFilter(s.Buffer.EventDirectory("sched", "sched_process_exec")));
            Assert.StartsWith("pstrace-" + Environment.ProcessId + "-", s.Name);
        }

        Assert.False(Directory.Exists(dir));
    }

    [LiveFact]
    public void ARejectedFilterLeavesTheEventAsItWas()
    {
        Core.Tracefs.Tracefs fs = LiveKernel.Open();
        using TraceSession s = TraceSession.Start(fs);
        var e = Assert.Throws<KernelRejectedException>(() => s.EnableEvent(Exec, filter: "no_such_field == 3"));
        Assert.Contains("no_such_field", e.Message);
        Assert.False(EventControl.IsEnabled(s.Buffer, Exec));
        Assert.Equal("", EventControl.ReadFilter(s.Buffer.EventDirectory("sched", "sched_process_exec")));
    }

    [LiveFact]
    public void ARejectedTriggerRollsBackTheFilter()
    {
        Core.Tracefs.Tracefs fs = LiveKernel.Open();
        using TraceSession s = TraceSession.Start(fs);
        Assert.Throws<KernelRejectedException>(() => s.EnableEvent(Exec, filter: "pid > 0", trigger: "no_such_trigger"));
        Assert.False(EventControl.IsEnabled(s.Buffer, Exec));
        Assert.Equal("", EventControl.ReadFilter(s.Buffer.EventDirectory("sched", "sched_process_exec")));
    }

    [LiveFact]
    public void TheUprobeRejectionCarriesTheKernelsWordsAndCaret()
    {
        Core.Tracefs.Tracefs fs = LiveKernel.Open();
        string before = ControlFile.Read(fs.PathOf("uprobe_events"));
        var e = Assert.Throws<KernelRejectedException>(() =>
            ControlFile.Write(fs.PathOf("uprobe_events"), "p:pstrace_test/bad /bin/true:0x0 a=%zz", append: true, fs.PathOf("error_log")));
        Assert.NotNull(e.LogEntry);
        Assert.Equal("Invalid register name", e.LogEntry.Message);
        Assert.Equal("%zz", e.LogEntry.Command[e.LogEntry.CaretPosition!.Value..]);
        Assert.Equal(before, ControlFile.Read(fs.PathOf("uprobe_events")));
    }

    [LiveFact]
    public void StatsListEveryCpu()
    {
        Core.Tracefs.Tracefs fs = LiveKernel.Open();
        using TraceSession s = TraceSession.Start(fs);
        Assert.Equal(Environment.ProcessorCount, CpuBufferStats.Read(s.Buffer).Count);
    }
}
