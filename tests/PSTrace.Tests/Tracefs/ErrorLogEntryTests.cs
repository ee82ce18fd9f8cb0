using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

public class ErrorLogEntryTests
{
    // Real error_log text from this kernel (6.18): `echo 'p:errt/x /bin/true:0x0 a=%zz' >> uprobe_events`, twice.
    private const string TwoEntries =
        "[  413.438981] trace_uprobe: error: Invalid register name\n" +
        "  Command: p:errt/x /bin/true:0x0 a=%zz\n" +
        "                                    ^\n" +
        "[  413.441505] trace_uprobe: error: Invalid register name\n" +
        "  Command: p:errt/x /bin/true:0x0 a=%zz\n" +
        "                                    ^\n";

    [Fact]
    public void ParsesEveryEntryWithItsCaret()
    {
        IReadOnlyList<ErrorLogEntry> entries = ErrorLogEntry.ParseAll(TwoEntries);
        Assert.Equal(2, entries.Count);
        ErrorLogEntry e = entries[1];
        Assert.Equal("413.441505", e.Timestamp);
        Assert.Equal("trace_uprobe", e.Subsystem);
        Assert.Equal("Invalid register name", e.Message);
        Assert.Equal("p:errt/x /bin/true:0x0 a=%zz", e.Command);
        Assert.Equal("%zz", e.Command[e.CaretPosition!.Value..]);
    }

    [Fact]
    public void EmptyLogHasNoEntries() => Assert.Empty(ErrorLogEntry.ParseAll(""));
}
