using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Syscall;

namespace PSTrace.Tests.Tools.Syscall;

/// <summary>
/// SyscallWatcher over a real capture (exec-open-trace.txt: bash runs cat on a present and a missing file, then
/// sleep; its openat enter/exit pairs are the calls). The expectations are read off the trace by hand, as in
/// OpenWatcherTests, which reads the same capture through its probes.
/// </summary>
public class SyscallWatcherTests
{
    private static readonly List<object> Output = WatchFixtures.Run(new SyscallWatcher(["openat"]), WatchFixtures.ExecOpen);
    private static readonly List<SyscallEvent> Calls = Output.OfType<SyscallEvent>().ToList();

    [Fact]
    public void Cats_opens_come_paired_with_their_results()
    {
        List<SyscallEvent> cat = Calls.Where(c => c.ProcessId == 17998 && c.Command == "cat").ToList();
        Assert.Contains(cat, c => c.ReturnValue == 3 && c.Error is null && (string?)c.Arguments["flags"] == "O_RDONLY");
        SyscallEvent missing = Assert.Single(cat, c => c.Error == "ENOENT" && c.TimestampNanoseconds == 5_436_796_429_000);
        Assert.Equal(-2, missing.ReturnValue);
        Assert.Equal("AT_FDCWD", missing.Arguments["dfd"]);
    }

    [Fact]
    public void Every_call_has_an_exit_and_a_duration()
    {
        Assert.NotEmpty(Calls);
        Assert.All(Calls, c =>
        {
            Assert.Equal("openat", c.Name);
            Assert.NotNull(c.ReturnValue);
            Assert.True(c.DurationNanoseconds > 0);
        });
    }

    [Fact]
    public void The_redirection_is_bashs_own_openat_with_its_mode()
    {
        // "> /dev/null" in the child before its exec: O_WRONLY|O_CREAT|O_TRUNC, mode 0666.
        Assert.Contains(Calls, c => c.ProcessId == 17998 && c.Command == "bash"
            && (string?)c.Arguments["flags"] == "O_WRONLY|O_CREAT|O_TRUNC" && Equals(c.Arguments["mode"], 0x1b6L));
    }

    [Fact]
    public void Calls_are_in_time_order()
    {
        Assert.Equal(Calls.Select(c => c.TimestampNanoseconds).Order(), Calls.Select(c => c.TimestampNanoseconds));
    }

    [Fact]
    public void The_summary_counts_the_same_calls_and_errors()
    {
        List<object> summary = WatchFixtures.Run(new SyscallWatcher(["openat"], summary: true), WatchFixtures.ExecOpen);
        SyscallSummary openat = Assert.Single(summary.OfType<SyscallSummary>());
        Assert.Equal("openat", openat.Name);
        Assert.Equal(Calls.Count, openat.Calls);
        Assert.Equal(Calls.Count(c => c.Error is not null), openat.Errors);
        Assert.Equal(Calls.Aggregate(0UL, (sum, c) => sum + c.DurationNanoseconds!.Value), openat.TotalNanoseconds);
        Assert.Empty(summary.OfType<SyscallEvent>());
    }

    [Fact]
    public void A_syscall_the_kernel_lacks_is_refused_by_name()
    {
        var e = Assert.Throws<Core.Tracefs.TraceException>(() => WatchFixtures.Run(new SyscallWatcher(["no_such_call"]), WatchFixtures.ExecOpen));
        Assert.Equal("SyscallNotFound", e.ErrorId);
    }

    [Fact]
    public void A_saved_trace_without_syscall_events_is_refused_as_the_files_lack()
    {
        var e = Assert.Throws<Core.Tracefs.TraceException>(() => new SyscallWatcher().Configure(WatchSetup.ForSavedTrace(EventFormatCatalog.FromFormats([]))));
        Assert.Equal("SyscallEventsNotInTrace", e.ErrorId);
        Assert.DoesNotContain("kernel", e.Message, StringComparison.Ordinal);
    }
}
