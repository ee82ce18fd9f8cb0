using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Binary.TraceDat;

/// <summary>
/// trace.dat files written from the pages of a real capture (pages/cpuN.raw with that instance's
/// header_page, formats and saved_cmdlines): read back by TraceDatFile and by trace-cmd report.
/// </summary>
public sealed class TraceDatWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TraceDatContents Contents()
    {
        string events = Fixtures.PathOf("6.18/pages/events");
        var formats = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (string system in Directory.GetDirectories(events).Order(StringComparer.Ordinal).Where(d => Path.GetFileName(d) != "ftrace"))
        {
            formats[Path.GetFileName(system)] = Directory.GetDirectories(system).Order(StringComparer.Ordinal).Select(d => File.ReadAllText(Path.Combine(d, "format"))).ToList();
        }

        return new TraceDatContents
        {
            HeaderPage = Fixtures.Text("6.18/pages/header_page"),
            HeaderEvent = Fixtures.Text("6.18/pages/header_event"),
            FtraceFormats = Directory.GetDirectories(Path.Combine(events, "ftrace")).Order(StringComparer.Ordinal).Select(d => File.ReadAllText(Path.Combine(d, "format"))).ToList(),
            EventFormats = formats,
            Cmdlines = Fixtures.Text("6.18/pages/saved_cmdlines"),
            Cpus = 2,
            Uname = "Linux test 6.18 #1 x86_64",
            TraceClock = "[local] global counter uptime perf mono mono_raw boot tai x86-tsc",
        };
    }

    private string Write()
    {
        string path = Path.Combine(_dir, "pages.dat");
        using var recorder = new TraceDatRecorder(path);
        foreach (int cpu in new[] { 0, 1 })
        {
            foreach (byte[] page in File.ReadAllBytes(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw")).Chunk(4096))
            {
                recorder.AddPage(cpu, page);
            }
        }

        recorder.Complete(Contents());
        return path;
    }

    /// <summary>CPU 0's pages only, with the optional parts given.</summary>
    private string WriteCpu0(string name, string? savedTgids = null, long? clockEpochNanoseconds = null)
    {
        string path = Path.Combine(_dir, name);
        using var recorder = new TraceDatRecorder(path);
        foreach (byte[] page in File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw")).Chunk(4096))
        {
            recorder.AddPage(0, page);
        }

        TraceDatContents contents = Contents();
        recorder.Complete(new TraceDatContents
        {
            HeaderPage = contents.HeaderPage,
            HeaderEvent = contents.HeaderEvent,
            FtraceFormats = contents.FtraceFormats,
            EventFormats = contents.EventFormats,
            Cmdlines = contents.Cmdlines,
            Cpus = 2,
            SavedTgids = savedTgids ?? "",
            ClockEpochNanoseconds = clockEpochNanoseconds,
        });
        return path;
    }

    [Fact]
    public void ReadsBackAsTheSameEvents()
    {
        string path = Write();
        using TraceDatFile dat = TraceDatFile.Open(path);

        Assert.Equal(6, dat.Version);
        Assert.Equal(2, dat.Cpus);
        Assert.Equal("local", dat.TraceClock);
        Assert.Equal("Linux test 6.18 #1 x86_64", dat.Uname);
        List<string> mine = dat.ReadEvents().Select(o => o.ToString()!).ToList();

        RingBufferLayout layout = RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page"));
        EventFormatCatalog formats = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));
        TaskNames names = TaskNames.Parse(Fixtures.Text("6.18/pages/saved_cmdlines"));
        List<TraceEvent> expected = new[] { 0, 1 }
            .SelectMany(cpu => new RingBufferPageDecoder(layout, formats, names).ReadPages(File.OpenRead(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw")), cpu).Cast<TraceEvent>())
            .OrderBy(e => e.TimestampNanoseconds).ThenBy(e => e.Cpu).ToList();
        Assert.Equal(1483, mine.Count);
        Assert.Equal(expected.Select(e => e.ToString()), mine);
        Assert.Empty(Directory.GetFiles(_dir, "*.pages"));
    }

    [Fact]
    public void SavedThreadGroupsComeBack()
    {
        string path = WriteCpu0("tgids.dat", savedTgids: "4242 4240\n4240 4240\n");

        using TraceDatFile dat = TraceDatFile.Open(path);
        Assert.Equal(4240, dat.Tasks.ThreadGroupOf(4242));
        Assert.Null(dat.Tasks.ThreadGroupOf(1));
        Assert.NotEmpty(dat.ReadEvents());
    }

    [Fact]
    public void CpuDataIsPageAligned()
    {
        using TraceDatFile dat = TraceDatFile.Open(Write());
        TraceDatBuffer top = Assert.Single(dat.Buffers);
        Assert.All(top.Cpus, c => Assert.Equal(0, c.Offset % 4096));
        Assert.Equal([new FileInfo(Fixtures.PathOf("6.18/pages/cpu0.raw")).Length, new FileInfo(Fixtures.PathOf("6.18/pages/cpu1.raw")).Length], top.Cpus.Select(c => c.Size));
    }

    [Fact]
    public void TheClockEpochComesBackAsWallClockTime()
    {
        var epoch = new DateTime(2026, 12, 5, 7, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        string path = WriteCpu0("epoch.dat", clockEpochNanoseconds: (epoch - DateTime.UnixEpoch).Ticks * 100);

        using TraceDatFile dat = TraceDatFile.Open(path);
        Assert.Equal(epoch, dat.WallClock.EpochUtc);
        Assert.Equal(epoch.AddTicks(15_000).ToLocalTime(), dat.WallClock.ToDateTime(1_500_000));
    }

    [Fact]
    public void AFileWithoutAnEpochHasNoWallClock()
    {
        using TraceDatFile dat = TraceDatFile.Open(Write());
        Assert.Null(dat.WallClock.EpochUtc);
    }

    [TraceCmdFact]
    public void TraceCmdReportsTheSameEvents()
    {
        string path = Write();
        using TraceDatFile dat = TraceDatFile.Open(path);
        List<TraceEvent> mine = dat.ReadEvents().Cast<TraceEvent>().ToList();
        List<ReportItem> theirs = TraceCmdReport.Parse(TraceCmd.Run("report", "-R", "-t", "-i", path), []);

        Assert.Equal(theirs.Count, mine.Count);
        for (int i = 0; i < mine.Count; i++)
        {
            ReportItem t = theirs[i];
            TraceEvent m = mine[i];
            Assert.True((t.TimestampNanoseconds, t.Cpu, t.Pid, t.Name, t.Command) == (m.TimestampNanoseconds, m.Cpu, m.ProcessId, m.Name, m.Command), $"{t} vs {m}");
        }
    }

    [Fact]
    public void AnUnfinishedRecordingLeavesNothing()
    {
        string path = Path.Combine(_dir, "never.dat");
        using (var recorder = new TraceDatRecorder(path))
        {
            recorder.AddPage(0, new byte[4096]);
            Assert.Single(Directory.GetFiles(_dir));
        }

        Assert.Empty(Directory.GetFiles(_dir));
    }
}
