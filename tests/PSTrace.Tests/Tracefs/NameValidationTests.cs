using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

public class NameValidationTests
{
    [Theory]
    [InlineData("sched:sched_process_exec", "sched", "sched_process_exec")]
    [InlineData("sched/sched_switch", "sched", "sched_switch")]
    [InlineData("sched_switch", "*", "sched_switch")]
    [InlineData("sched:*exec*", "sched", "*exec*")]
    public void EventPatternsSplitIntoSystemAndName(string text, string system, string name)
    {
        EventPattern p = EventPattern.Parse(text);
        Assert.Equal(system, p.System);
        Assert.Equal(name, p.Name);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("sched:..")]
    [InlineData("a:b:c")]
    [InlineData("sched:x\n1")]
    [InlineData("sched: x")]
    [InlineData(":x")]
    [InlineData("x:")]
    [InlineData("x;rm")]
    public void BadEventNamesAreRefused(string text)
    {
        var e = Assert.Throws<TraceException>(() => EventPattern.Parse(text));
        Assert.Equal(TraceErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("InvalidEventName", e.ErrorId);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*exec*", "sched_process_exec", true)]
    [InlineData("sched_?witch", "sched_switch", true)]
    [InlineData("sched_*", "irq_handler", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("", "", true)]
    public void WildcardsMatchLikeAGlob(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(pattern, text));

    [Theory]
    [InlineData("pstrace-1234-1", 1234)]
    [InlineData("pstrace-1-99", 1)]
    [InlineData("pstrace-x-1", null)]
    [InlineData("mytrace", null)]
    [InlineData("pstrace-12", null)]
    public void SessionInstanceNamesNameTheirOwner(string name, int? owner) => Assert.Equal(owner, InstanceName.OwnerOf(name));

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("with space")]
    [InlineData("new\nline")]
    [InlineData("")]
    public void BadInstanceNamesAreRefused(string name) =>
        Assert.Equal("InvalidInstanceName", Assert.Throws<TraceException>(() => InstanceName.Validate(name)).ErrorId);

    [Theory]
    [InlineData("p:x /bin/true:0x0\n-:uprobes/other")]
    [InlineData("1\n0")]
    [InlineData("abc\r")]
    [InlineData("a\0b")]
    public void ControlFileRefusesMoreThanOneLine(string text)
    {
        var e = Assert.Throws<TraceException>(() => ControlFile.EnsureSingleCommand(text, "/x/uprobe_events"));
        Assert.Equal("ControlCharacterInInput", e.ErrorId);
    }

    [Theory]
    [InlineData("p:pstrace_42/readline /bin/bash:0x00000000000b1c60", "pstrace_42", "readline")]
    [InlineData("r10:kprobes/myret do_sys_open ret=$retval", "kprobes", "myret")]
    [InlineData("p:uprobes/p_bash_0x4245c0 /bin/bash:0x00000000000c45c0 arg1=+0(%di):string", "uprobes", "p_bash_0x4245c0")]
    public void ProbeListingLinesGiveGroupAndName(string line, string group, string name)
    {
        DynamicEventEntry? e = DynamicEventEntry.TryParse(line, "/t/dynamic_events");
        Assert.NotNull(e);
        Assert.Equal(group, e.Group);
        Assert.Equal(name, e.Name);
    }
}
