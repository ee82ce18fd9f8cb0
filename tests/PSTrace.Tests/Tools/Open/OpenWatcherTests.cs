using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Open;

namespace PSTrace.Tests.Tools.Open;

/// <summary>OpenWatcher over a real capture (exec-open-trace.txt); the expectations are read off the trace by hand.</summary>
public class OpenWatcherTests
{
    private const string Work = "/var/tmp/watch-capture.yiLJDf";

    private static readonly List<object> Output = WatchFixtures.Run(new OpenWatcher(), WatchFixtures.ExecOpen);
    private static readonly List<OpenEvent> Opens = Output.OfType<OpenEvent>().ToList();

    [Fact]
    public void Cat_opens_its_two_files_one_found_one_missing()
    {
        OpenEvent present = Opens.Single(o => o.Path == Work + "/present.txt" && o.Command == "cat");
        Assert.Equal(17998, present.ProcessId);
        Assert.Equal("openat", present.Syscall);
        Assert.Equal(3, present.FileDescriptor);
        Assert.Null(present.Error);
        Assert.Equal("O_RDONLY", present.Flags);
        Assert.Null(present.DirectoryDescriptor);
        Assert.Equal(5_436_796_349_000UL, present.TimestampNanoseconds);

        OpenEvent missing = Opens.Single(o => o.Path == Work + "/missing.txt");
        Assert.Null(missing.FileDescriptor);
        Assert.Equal(-2, missing.ReturnValue);
        Assert.Equal("ENOENT", missing.Error);
    }

    [Fact]
    public void A_redirection_is_opened_by_the_child_before_its_exec_under_the_parents_name()
    {
        // bash's child 17998 opens /dev/null for "> /dev/null" while still bash, then execs cat.
        OpenEvent redirect = Opens.Single(o => o.ProcessId == 17998 && o.Path == "/dev/null");
        Assert.Equal("bash", redirect.Command);
        Assert.Equal("O_WRONLY|O_CREAT|O_TRUNC", redirect.Flags);
        Assert.Equal(0x241, redirect.FlagsValue);
        Assert.Equal(0x1b6, redirect.Mode);
    }

    [Fact]
    public void The_dynamic_loaders_opens_have_no_path_and_that_is_said_once()
    {
        // ld.so opens ld.so.cache and libc.so.6 itself: sys_openat with no s1_open_* probe hit before it.
        List<OpenEvent> loader = Opens.Where(o => o.ProcessId == 17995).ToList();
        Assert.Equal(2, loader.Count);
        Assert.All(loader, o => Assert.Null(o.Path));
        Assert.All(loader, o => Assert.Equal("O_RDONLY|O_CLOEXEC", o.Flags));
        Assert.Single(Output.OfType<WatchNotice>());
    }

    [Fact]
    public void A_name_is_given_only_to_the_call_that_received_its_pointer()
    {
        // Every named open's enter event carried the same pointer as the probe hit before it (checked in the trace
        // for present.txt: ptr=0x5599853f7b70, filename: 0x5599853f7b70); no name is ever given twice in a row
        // to calls with other pointers.
        Assert.Equal(Opens.Count(o => o.Path is not null), Opens.Where(o => o.Path is not null).Select(o => o.TimestampNanoseconds).Distinct().Count());
        Assert.Equal(Work + "/present.txt", Opens.Single(o => o.ProcessId == 17953 && o.Path?.EndsWith("present.txt", StringComparison.Ordinal) == true).Path);
    }

    [Fact]
    public void FailedOnly_keeps_the_failures()
    {
        // In a live session the kernel filters the exits; over the saved trace the same records are the failed ones.
        Assert.Equal(Opens.Count(o => o.Error is not null), Opens.Count(o => o.ReturnValue < 0));
        Assert.All(Opens.Where(o => o.ReturnValue < 0), o => Assert.Equal("ENOENT", o.Error));
    }
}
