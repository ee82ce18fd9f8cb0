using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Exec;
using PSTrace.Core.Tools.HostLookup;
using PSTrace.Core.Tools.Open;
using PSTrace.Core.Tools.Readline;
using PSTrace.Tests.Tools;

namespace PSTrace.Tests.Sessions;

/// <summary>SavedWatch (Watch-* -Path): a watch tool over a saved capture gives what the tool gives over the same events.</summary>
public sealed class SavedWatchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-savedwatch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Exec_records_of_a_saved_capture_are_those_of_the_tool()
    {
        List<object> expected = WatchFixtures.Run(new ExecWatcher(), WatchFixtures.ExecOpen);
        using var source = EventSource.OpenSaved(Fixtures.PathOf(WatchFixtures.ExecOpen), WatchFixtures.Catalog());

        List<object> records = SavedWatch.Open(source, new ExecWatcher(), null)(CancellationToken.None).ToList();

        Assert.NotEmpty(records.OfType<ExecEvent>());
        Assert.Equal(expected.Select(Describe), records.Select(Describe));
    }

    [Fact]
    public void Reading_ends_at_the_session_end_marker()
    {
        string[] lines = File.ReadAllLines(Fixtures.PathOf(WatchFixtures.ExecOpen));
        int half = Array.FindIndex(lines, l => l.Contains("sched_process_exec:", StringComparison.Ordinal)) + 1;
        string path = Path.Combine(_dir, "marked.txt");
        string marker = "            bash-17953   (  17953) [000] .....  5436.782400: tracing_mark_write: pstrace-end-pstrace-1-1";
        File.WriteAllLines(path, lines.Take(half).Append(marker).Concat(lines.Skip(half)));
        using var source = EventSource.OpenSaved(path, WatchFixtures.Catalog());

        List<ExecEvent> execs = SavedWatch.Open(source, new ExecWatcher(), null)(CancellationToken.None).OfType<ExecEvent>().ToList();

        Assert.Single(execs);
    }

    [Fact]
    public void Another_tools_events_give_no_records()
    {
        using var source = EventSource.OpenSaved(Fixtures.PathOf(WatchFixtures.Block), WatchFixtures.Catalog());

        Assert.Empty(SavedWatch.Open(source, new OpenWatcher(), null)(CancellationToken.None).OfType<OpenEvent>());
    }

    [Theory]
    [InlineData("readline")]
    [InlineData("hostlookup")]
    public void A_live_runs_own_capture_reads_back_into_the_records_the_run_gave(string tool)
    {
        // tests/lane/record-watch-fixtures.sh --host: the live records (JSON) and the run's -OutFile capture.
        List<string> live = LiveRecordsJson.Load($"6.18/watch/{tool}-live.json").Select(Line).ToList();
        using var source = EventSource.OpenSaved(Fixtures.PathOf($"6.18/watch/{tool}-outfile.dat"), null);
        TraceWatcher watcher = tool == "readline" ? new ReadlineWatcher() : new HostLookupWatcher();

        List<string> saved = SavedWatch.Open(source, watcher, null)(CancellationToken.None).Select(LiveRecordsJson.Describe).Select(Line).ToList();

        Assert.NotEmpty(live);
        Assert.Equal(live, saved);
    }

    private static string Line((string Type, Dictionary<string, string?> Fields) r) =>
        r.Type + ": " + string.Join("; ", r.Fields.Select(f => $"{f.Key}={f.Value ?? "(null)"}"));

    private static string Describe(object o) => o is ExecEvent e
        ? $"{e.TimestampNanoseconds} {e.ProcessId} {e.Command} {e.Path} {string.Join('|', e.Arguments ?? [])} {e.ReturnValue} {e.ParentProcessId}"
        : o.GetType().Name;
}
