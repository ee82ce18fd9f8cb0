using System.Text;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Binary;

/// <summary>
/// Every trace.dat fixture, read by TraceDatFile and by `trace-cmd report -R -t` (raw fields,
/// full-precision timestamps): the same events in the same order, field by field.
/// </summary>
public sealed class TraceDatMatchesTraceCmdTests
{
    public static TheoryData<string> Files => TraceDatFixtures.Theory();

    [TraceCmdTheory]
    [MemberData(nameof(Files))]
    public void EveryEventMatchesTraceCmdReport(string fixture)
    {
        string path = Fixtures.PathOf(fixture);
        using TraceDatFile dat = TraceDatFile.Open(path);
        List<object> mine = dat.ReadEvents().ToList();
        List<ReportItem> theirs = TraceCmdReport.Parse(TraceCmd.Run("report", "-R", "-t", "-i", path), dat.Buffers.Select(b => b.Name));

        var problems = new List<string>();
        for (int i = 0; i < Math.Min(mine.Count, theirs.Count) && problems.Count < 10; i++)
        {
            string? problem = Compare(mine[i], theirs[i], dat);
            if (problem is not null)
            {
                problems.Add($"#{i} ({theirs[i]}): {problem}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(theirs.Count, mine.Count);
        Assert.True(mine.Count > 100, "a fixture with events");
    }

    private static string? Compare(object mine, ReportItem theirs, TraceDatFile dat)
    {
        if (theirs.IsDropped)
        {
            return mine is TraceLostEvents lost && lost.Cpu == theirs.Cpu && lost.Count == theirs.Dropped
                ? null
                : $"expected a lost-events record, got {mine}";
        }

        if (mine is not TraceEvent e)
        {
            return $"expected an event, got {mine}";
        }

        var sb = new StringBuilder();
        Check(sb, "timestamp", e.TimestampNanoseconds, theirs.TimestampNanoseconds);
        Check(sb, "cpu", e.Cpu, theirs.Cpu);
        Check(sb, "pid", e.ProcessId, theirs.Pid);
        Check(sb, "comm", e.Command, theirs.Command);
        Check(sb, "event", e.Name, theirs.Name);
        EventFormat? format = dat.Events.Find(e.System, e.Name);
        if (format is null)
        {
            sb.Append($"no format for {e.FullName}; ");
        }
        else
        {
            Dictionary<string, string> fields = TraceCmdReport.SplitFields(theirs.Body, format.Fields.Select(f => f.Name).ToList());
            foreach ((string name, string text) in fields)
            {
                if (!FieldComparer.Matches(e.Fields[name], text, dat.Kallsyms, format.Field(name)!))
                {
                    sb.Append($"field {name}: mine {Show(e.Fields[name])}, trace-cmd {text}; ");
                }
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    private static void Check<T>(StringBuilder sb, string what, T mine, T theirs)
    {
        if (!EqualityComparer<T>.Default.Equals(mine, theirs))
        {
            sb.Append($"{what}: mine {mine}, trace-cmd {theirs}; ");
        }
    }

    private static string Show(object? value) => value is Array a
        ? "{" + string.Join(",", a.Cast<object>()) + "}"
        : value?.ToString() ?? "null";
}
