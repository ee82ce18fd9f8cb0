using PSTrace.Core.Pictures;

namespace PSTrace.Tests.Pictures;

public sealed class FoldedStacksTests
{
    [Fact]
    public void EqualStacksAddUpAndLinesComeOutInOrdinalOrder()
    {
        var stacks = new FoldedStacks(FlameValueUnit.Samples);
        stacks.Add(["do_syscall_64", "__x64_sys_execve", "bprm_execve"], 1);
        stacks.Add(["do_syscall_64", "__x64_sys_exit_group", "do_exit"], 2);
        stacks.Add(["do_syscall_64", "__x64_sys_execve", "bprm_execve"], 3);

        var text = new StringWriter();
        stacks.WriteTo(text);

        Assert.Equal("do_syscall_64;__x64_sys_execve;bprm_execve 4\ndo_syscall_64;__x64_sys_exit_group;do_exit 2\n", text.ToString());
        Assert.Equal(2, stacks.Count);
        Assert.Equal(6, stacks.Total);
    }

    [Fact]
    public void NamesThatWouldBreakTheFormatAreMadeSafe()
    {
        var stacks = new FoldedStacks(FlameValueUnit.Samples);
        stacks.Add(["a;b", "line\nbreak", " ", "p9_client_rpc [9pnet]"], 1);

        Assert.Equal("a:b;line break;[unknown];p9_client_rpc [9pnet]", Assert.Single(stacks.Sorted()).Key);
    }

    [Fact]
    public void NothingIsAddedForNoValueOrNoFrames()
    {
        var stacks = new FoldedStacks(FlameValueUnit.Nanoseconds);
        stacks.Add(["vfs_read"], 0);
        stacks.Add(["vfs_read"], -5);
        stacks.Add([], 7);

        Assert.Equal(0, stacks.Count);
        Assert.Equal(0, stacks.Total);
    }

    [Theory]
    [InlineData("vfs_read;rw_verify_area 1234", "vfs_read;rw_verify_area", 1234L)]
    [InlineData("  java;start_thread;[unknown] 1  ", "java;start_thread;[unknown]", 1L)]
    [InlineData("p9_client_rpc [9pnet];p9_virtio_request [9pnet_virtio]\t7", "p9_client_rpc [9pnet];p9_virtio_request [9pnet_virtio]", 7L)]
    public void FoldedLinesSplitAtTheLastBlank(string line, string stack, long value)
    {
        Assert.True(FoldedLine.TryParse(line, out string s, out long v));
        Assert.Equal(stack, s);
        Assert.Equal(value, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# a comment")]
    [InlineData("vfs_read")]
    [InlineData("vfs_read 0")]
    [InlineData("vfs_read -3")]
    [InlineData("vfs_read 1.5")]
    [InlineData(" 12")]
    public void LinesThatAreNotFoldedStacksAreRefused(string line)
    {
        Assert.False(FoldedLine.TryParse(line, out _, out long value));
        Assert.Equal(0, value);
    }
}
