using System.Globalization;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Text;

/// <summary>Every fixture, every line: the reader's records against counts taken from the raw text.</summary>
public class TraceTextReaderFixtureTests
{
    public static TheoryData<string> All => TextFixtures.AllData();

    public static TheoryData<string> Kernel618 => TextFixtures.Kernel618Data();

    [Theory]
    [MemberData(nameof(All))]
    public void EveryLineBecomesTheRightKindOfRecord(string fixture)
    {
        RawTrace raw = RawTrace.Of(fixture);
        List<object> records = TextFixtures.Read(fixture);
        List<TraceEvent> events = records.OfType<TraceEvent>().ToList();
        List<TraceLostEvents> lost = records.OfType<TraceLostEvents>().ToList();

        Assert.Equal(records.Count, events.Count + lost.Count);
        Assert.Equal(raw.Prefixed.Count, events.Count(e => e.Cpu >= 0 && !IsStack(e)));
        Assert.Equal(raw.Stacks, events.Count(IsStack));
        Assert.Equal(raw.Frames, events.Where(IsStack).Sum(e => ((string[])e.Fields["stack"]!).Length));
        Assert.Equal(raw.Other, events.Count(e => e.Cpu < 0));
        Assert.Equal(raw.Lost + raw.Annotations + raw.Overwritten, lost.Count);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void PrefixValuesMatchTheText(string fixture)
    {
        List<RawLine> raw = RawTrace.Of(fixture).Prefixed;
        List<TraceEvent> events = TextFixtures.Events(fixture).Where(e => e.Cpu >= 0 && !IsStack(e)).ToList();

        Assert.Equal(raw.Count, events.Count);
        for (int i = 0; i < raw.Count; i++)
        {
            Assert.Equal(raw[i].Comm, events[i].Command);
            Assert.Equal(raw[i].Pid, events[i].ProcessId);
            Assert.Equal(raw[i].Tgid, events[i].ThreadGroupId);
            Assert.Equal(raw[i].Cpu, events[i].Cpu);
            Assert.Equal(raw[i].Flags, events[i].Flags);
            Assert.Equal(raw[i].Timestamp, TimestampText(raw[i].Timestamp, events[i].TimestampNanoseconds));
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void EventNamesAreCountedAsInTheText(string fixture)
    {
        Dictionary<string, int> expected = RawTrace.Of(fixture).CountByName();
        Dictionary<string, int> actual = TextFixtures.Events(fixture)
            .Where(e => e.Cpu >= 0 && e.Name.Length > 0 && !IsStack(e))
            .GroupBy(e => e.Name)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }

    [Theory]
    [MemberData(nameof(Kernel618))]
    public void EveryKernelLineIsTraceOutput(string fixture)
    {
        List<TraceEvent> events = TextFixtures.Events(fixture);

        Assert.DoesNotContain(events, e => e.Cpu < 0);
        Assert.DoesNotContain(events, e => e.Name.Length == 0);
    }

    [Theory]
    [MemberData(nameof(Kernel618))]
    public void EveryEventWithAFormatHasItsSystemAndFields(string fixture)
    {
        foreach (TraceEvent e in TextFixtures.Events(fixture).Where(e => !IsStack(e)))
        {
            Assert.True(e.System.Length > 0, "no system: " + e.Line);
            Assert.True(e.Fields.Count > 0, "no fields: " + e.Line);
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void WithoutFormatsTheLinesStillParse(string fixture)
    {
        List<object> withFormats = TextFixtures.Read(fixture);
        List<object> without = TextFixtures.Read(fixture, null);

        Assert.Equal(withFormats.Count, without.Count);
        Assert.Equal(
            withFormats.OfType<TraceEvent>().Select(e => (e.TimestampNanoseconds, e.ProcessId, e.Name, e.Body)),
            without.OfType<TraceEvent>().Select(e => (e.TimestampNanoseconds, e.ProcessId, e.Name, e.Body)));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void LinesAreKeptWhole(string fixture)
    {
        string[] lines = File.ReadAllLines(Fixtures.PathOf(fixture));
        var kept = TextFixtures.Events(fixture).SelectMany(e => e.Line!.Split('\n')).ToList();
        List<string> expected = lines.Where(l => l.Trim().Length > 0 && !l.StartsWith('#') && !l.StartsWith("CPU:", StringComparison.Ordinal)).ToList();

        Assert.Equal(expected, kept);
    }

    private static bool IsStack(TraceEvent e) => e.System == "ftrace" && e.Name is "kernel_stack" or "user_stack";

    /// <summary>The nanoseconds written back the way the text wrote them (six decimals, or a plain count).</summary>
    private static string TimestampText(string raw, ulong ns)
    {
        if (!raw.Contains('.', StringComparison.Ordinal))
        {
            return ns.ToString(CultureInfo.InvariantCulture);
        }

        return TraceEvent.FormatSeconds(ns);
    }
}
