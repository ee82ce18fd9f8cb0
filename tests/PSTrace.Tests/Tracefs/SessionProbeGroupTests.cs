using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

public sealed class SessionProbeGroupTests
{
    [Fact]
    public void TheGroupNamesItsProcessAndBack()
    {
        Assert.Equal("pstrace_4242", SessionProbeGroup.For(4242));
        Assert.Equal(4242, SessionProbeGroup.OwnerOf("pstrace_4242"));
        Assert.Equal(TraceSession.ProbeGroup, SessionProbeGroup.For(Environment.ProcessId));
    }

    [Theory]
    [InlineData("kprobes")]
    [InlineData("pstrace_")]
    [InlineData("pstrace_12x")]
    [InlineData("pstrace_-1")]
    [InlineData("pstrace_fixture")]
    [InlineData("xpstrace_12")]
    public void OtherGroupsHaveNoOwner(string group) => Assert.Null(SessionProbeGroup.OwnerOf(group));

    [Fact]
    public void OnlyAnotherRunningProcessIsALiveOwner()
    {
        Assert.Null(SessionProbeGroup.LiveOtherOwnerOf(SessionProbeGroup.For(Environment.ProcessId)));
        Assert.Equal(1, SessionProbeGroup.LiveOtherOwnerOf("pstrace_1"));
        Assert.Null(SessionProbeGroup.LiveOtherOwnerOf(SessionProbeGroup.For(int.MaxValue)));
    }
}
