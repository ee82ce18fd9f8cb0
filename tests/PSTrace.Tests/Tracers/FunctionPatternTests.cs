using PSTrace.Core.Tracefs;
using PSTrace.Core.Tracers;

namespace PSTrace.Tests.Tracers;

public class FunctionPatternTests
{
    [Theory]
    [InlineData("vfs_read")]
    [InlineData("vfs_*")]
    [InlineData("*_read_iter")]
    [InlineData("do_sys_open?")]
    [InlineData("finish_task_switch.isra.0")]
    [InlineData("ksys_[rw]*")]
    public void NamesAndGlobsPass(string pattern) => Assert.Equal(pattern, FunctionPattern.Validate(pattern));

    [Theory]
    [InlineData("!vfs_read")]           // would remove it from the filter
    [InlineData("vfs_read:traceoff")]   // would attach a trigger
    [InlineData(":mod:ext4")]           // would select a module
    [InlineData("vfs_read ksys_read")]  // two names in one write
    [InlineData("vfs_read\nksys_read")]
    [InlineData("")]
    public void CommandsAndSeparatorsAreRefused(string pattern)
    {
        var e = Assert.Throws<TraceException>(() => FunctionPattern.Validate(pattern));
        Assert.Equal("InvalidFunctionName", e.ErrorId);
        Assert.Equal(TraceErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void ErrorIdsHaveNoPunctuation()
    {
        Assert.Equal("FunctionGraphTracerNotSupported", Capabilities.ErrorIdFor("Tracer:function_graph"));
        Assert.Equal("WakeupRtTracerNotSupported", Capabilities.ErrorIdFor("Tracer:wakeup_rt"));
        Assert.Equal("KprobesNotSupported", Capabilities.ErrorIdFor("Kprobes"));
    }
}
