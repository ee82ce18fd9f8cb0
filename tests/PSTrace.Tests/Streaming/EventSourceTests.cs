using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Streaming;

/// <summary>EventSource over saved traces: the same events the readers it wraps give, for trace.dat and text, and nothing for an empty file.</summary>
public sealed class EventSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-source-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_trace_dat_file_reads_as_its_own_events_typed_by_its_own_formats()
    {
        string path = Fixtures.PathOf("6.18/tracedat-v6.dat");
        using var source = EventSource.OpenSaved(path, textCatalog: null);
        using TraceDatFile dat = TraceDatFile.Open(path);

        Assert.True(source.ReadsBinary);
        Assert.NotNull(source.Catalog);
        Assert.Contains("trace.dat file (version 6", source.Description, StringComparison.Ordinal);
        Assert.Equal(dat.ReadEvents().Select(o => o.ToString()), source.Read(CancellationToken.None).Select(o => o.ToString()));
        Assert.Equal(dat.ReadEvents().LongCount(o => o is TraceEvent), source.HandedOn);
    }

    [Fact]
    public void Saved_text_reads_as_the_text_reader_reads_it()
    {
        string path = Fixtures.PathOf("6.18/trace-default.txt");
        EventFormatCatalog catalog = EventFormatCatalog.Load(Fixtures.PathOf("6.18/formats"));
        using var source = EventSource.OpenSaved(path, catalog);
        using var reader = new StreamReader(path);

        Assert.False(source.ReadsBinary);
        List<string?> expected = TraceTextReader.Read(reader, catalog).Select(o => o.ToString()).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, source.Read(CancellationToken.None).Select(o => o.ToString()));
    }

    [Fact]
    public void An_empty_file_has_no_events()
    {
        string path = Path.Combine(_dir, "empty.dat");
        File.WriteAllBytes(path, []);
        using var source = EventSource.OpenSaved(path, textCatalog: null);

        Assert.Empty(source.Read(CancellationToken.None));
        Assert.Null(source.SavedSessionNumber);
    }

    [Fact]
    public void A_cancelled_read_of_a_file_stops()
    {
        using var source = EventSource.OpenSaved(Fixtures.PathOf("6.18/tracedat-v6.dat"), textCatalog: null);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.Empty(source.Read(cancel.Token));
    }

    [Fact]
    public void The_probe_session_of_a_saved_watch_is_found_in_its_text()
    {
        using var source = EventSource.OpenSaved(Fixtures.PathOf("6.18/watch/exec-open-trace.txt"), textCatalog: null);

        Assert.Equal(1, source.SavedSessionNumber);
    }
}
