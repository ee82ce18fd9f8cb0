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
    public void OnlyAnotherRunningPSTraceProcessIsALiveOwner()
    {
        string state = Directory.CreateTempSubdirectory("pstrace-owner-").FullName;
        try
        {
            var fs = Core.Tracefs.Tracefs.At(state, state);
            Assert.Null(SessionProbeGroup.LiveOtherOwnerOf(fs, SessionProbeGroup.For(Environment.ProcessId)));
            // A running process that is not PSTrace and has no owner record: a hand-made name, never alive.
            using var sleeper = System.Diagnostics.Process.Start("sleep", "30");
            try
            {
                Assert.Null(SessionProbeGroup.LiveOtherOwnerOf(fs, SessionProbeGroup.For(sleeper.Id)));
            }
            finally
            {
                sleeper.Kill();
            }

            Assert.Null(SessionProbeGroup.LiveOtherOwnerOf(fs, SessionProbeGroup.For(int.MaxValue)));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
