using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Exec;

namespace PSTrace.Tests.Tools.Exec;

/// <summary>ExecWatcher over a real capture (exec-open-trace.txt); the expectations are read off the trace by hand.</summary>
public class ExecWatcherTests
{
    private const string Work = "/var/tmp/watch-capture.yiLJDf";

    private static readonly List<object> Output = WatchFixtures.Run(new ExecWatcher(), WatchFixtures.ExecOpen);
    private static readonly List<ExecEvent> Execs = Output.OfType<ExecEvent>().ToList();

    [Fact]
    public void Every_exec_of_the_capture_in_order_with_its_process_and_parent()
    {
        Assert.Equal(["true", "echo", "python3", "python3", "cat", "sleep"], Execs.Select(e => e.Command));
        Assert.Equal([17995, 17996, 17997, 17997, 17998, 17999], Execs.Select(e => e.ProcessId));
        Assert.All(Execs, e => Assert.Equal(e.ProcessId, e.ThreadId));

        // sched_process_fork: comm=bash pid=17953 child_comm=bash child_pid=17995 (and so on for each child).
        Assert.All(Execs, e => Assert.Equal(17953, e.ParentProcessId));
        Assert.Equal(5_436_782_320_000UL, Execs[0].TimestampNanoseconds);
    }

    [Fact]
    public void Arguments_of_a_process_that_ran_for_half_a_millisecond()
    {
        // s1_exec_arg0..3 and arg3's ptr=0x0 end argv; sched_process_exec at 5436.782320, exit at 5436.782823.
        ExecEvent e = Execs[0];
        Assert.Equal("/bin/true", e.Path);
        Assert.Equal(new string?[] { "/bin/true", "fixture-arg", "two words", "" }, e.Arguments!);
        Assert.False(e.ArgumentsTruncated);
        Assert.Equal("/bin/true fixture-arg 'two words' ''", e.CommandLine);
        Assert.Equal(0, e.ReturnValue);
        Assert.Null(e.Error);
    }

    [Fact]
    public void An_argument_with_newlines_is_joined_from_the_lines_the_kernel_split_it_into()
    {
        Assert.Equal(new string?[] { "/bin/echo", "line one\nline two" }, Execs[1].Arguments!);
        Assert.Equal(new string?[] { "/usr/bin/python3", "-S", "-c", "import os\ntry: os.execv('/nonexistent/fixture', ['prog', 'x'])\nexcept OSError: pass" }, Execs[2].Arguments!);
    }

    [Fact]
    public void A_failed_exec_keeps_the_callers_command_and_the_path_it_tried()
    {
        ExecEvent e = Execs[3];
        Assert.Equal(-2, e.ReturnValue);
        Assert.Equal("ENOENT", e.Error);
        Assert.Equal("/nonexistent/fixture", e.Path);
        Assert.Equal(new string?[] { "prog", "x" }, e.Arguments!);
        Assert.Equal("python3", e.Command);
    }

    [Fact]
    public void Arguments_after_a_failed_exec_are_those_of_the_next_call()
    {
        Assert.Equal(new string?[] { "/bin/cat", Work + "/present.txt", Work + "/missing.txt" }, Execs[4].Arguments!);
        Assert.Equal(new string?[] { "sleep", "0.2" }, Execs[5].Arguments!);
    }

    [Fact]
    public void Every_exec_of_the_capture_went_through_libc_so_nothing_is_unknown()
    {
        Assert.DoesNotContain(Output, o => o is WatchNotice);
        Assert.All(Execs, e => Assert.NotNull(e.Arguments));
    }

    [Fact]
    public void Fewer_argument_slots_cut_the_arguments_and_say_so()
    {
        // The capture has 20 slots; a watcher of 2 reads slots 0 and 1 and sees that slot 2 is not null.
        List<ExecEvent> execs = WatchFixtures.Run(new ExecWatcher(maxArguments: 2), WatchFixtures.ExecOpen).OfType<ExecEvent>().ToList();
        ExecEvent e = execs[0];
        Assert.Equal(new string?[] { "/bin/true", "fixture-arg" }, e.Arguments!);
        Assert.True(e.ArgumentsTruncated);
        Assert.Equal("/bin/true fixture-arg ...", e.CommandLine);
    }

    [Theory]
    [InlineData("/usr/bin/true", "bash", "true")]
    [InlineData("/opt/tools/a-very-long-program-name", "bash", "a-very-long-pro")]
    [InlineData("./script.sh", "<...>", "script.sh")]
    [InlineData("/dev/fd/3", "3", "3")]
    [InlineData(null, "bash", "bash")]
    public void The_command_after_exec_is_the_file_name_cut_to_15(string? filename, string column, string expected) =>
        Assert.Equal(expected, ExecWatcher.CommandAfterExec(filename, column));
}
