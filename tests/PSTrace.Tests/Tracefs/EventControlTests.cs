using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

public sealed class EventControlTests
{
    [Theory]
    [InlineData("traceoff:unlimited", "!traceoff")]
    [InlineData("traceoff:3", "!traceoff:3")]
    [InlineData("stacktrace:unlimited if prev_pid == 1", "!stacktrace")]
    [InlineData("enable_event:sched:sched_switch:unlimited", "!enable_event:sched:sched_switch")]
    public void ATriggerIsRemovedByItsCommand(string listed, string removal) =>
        Assert.Equal(removal, EventControl.TriggerRemoval(listed));
}
