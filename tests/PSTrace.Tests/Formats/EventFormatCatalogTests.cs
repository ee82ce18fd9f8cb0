using PSTrace.Core.Formats;

namespace PSTrace.Tests.Formats;

/// <summary>The catalog over the fixture copy of an events directory.</summary>
public class EventFormatCatalogTests
{
    private static EventFormatCatalog Load() => EventFormatCatalog.Load(Fixtures.PathOf("6.18/formats"));

    [Theory]
    [InlineData("sched_switch", "sched", 372)]
    [InlineData("sys_enter", "raw_syscalls", 443)]
    [InlineData("sys_exit_openat", "syscalls", 781)]
    [InlineData("block_rq_issue", "block", 2104)]
    [InlineData("libc_open", "text_fixture", 2326)]
    public void FindsAnEventByItsNameAlone(string name, string system, int id)
    {
        EventFormat? f = Load().Find(name);

        Assert.NotNull(f);
        Assert.Equal((system, name, id), (f.System, f.Name, f.Id));
    }

    [Fact]
    public void UnknownNamesAreNull()
    {
        EventFormatCatalog c = Load();

        Assert.Null(c.Find("no_such_event"));
        Assert.Null(c.Find("sched", "no_such_event"));
        Assert.Null(c.Find("no_such_system", "sched_switch"));
    }

    [Fact]
    public void FindsById()
    {
        EventFormatCatalog c = Load();

        Assert.Equal("sched_switch", c.FindById(372)?.Name);
        Assert.Equal("libc_open_ret", c.FindById(2327)?.Name);
        Assert.Null(c.FindById(1));
    }

    [Fact]
    public void ReturnsTheSameFormatEachTime()
    {
        EventFormatCatalog c = Load();

        Assert.Same(c.Find("sched_switch"), c.Find("sched", "sched_switch"));
    }

    [Fact]
    public void ANameInTwoSystemsNeedsItsSystem()
    {
        string text = Fixtures.Text("6.18/formats/sched/sched_switch/format");
        EventFormatCatalog c = EventFormatCatalog.FromFormats([EventFormatParser.Parse(text, "sched"), EventFormatParser.Parse(text, "copy")]);

        Assert.Null(c.Find("sched_switch"));
        Assert.Equal("copy", c.Find("copy", "sched_switch")?.System);
        Assert.Equal("sched", c.Find("sched", "sched_switch")?.System);
    }

    [Fact]
    public void AMissingDirectoryIsAnError() =>
        Assert.Throws<DirectoryNotFoundException>(() => EventFormatCatalog.Load(Fixtures.PathOf("6.18/no-such-dir")));

    [Fact]
    public void RefreshSeesEventsAddedLater()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pstrace-catalog-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sched", "sched_switch"));
            File.Copy(Fixtures.PathOf("6.18/formats/sched/sched_switch/format"), Path.Combine(dir, "sched", "sched_switch", "format"));
            EventFormatCatalog c = EventFormatCatalog.Load(dir);
            Assert.Null(c.Find("libc_open"));

            Directory.CreateDirectory(Path.Combine(dir, "text_fixture", "libc_open"));
            File.Copy(Fixtures.PathOf("6.18/formats/text_fixture/libc_open/format"), Path.Combine(dir, "text_fixture", "libc_open", "format"));
            Assert.Null(c.Find("libc_open"));
            c.Refresh();

            Assert.Equal("text_fixture", c.Find("libc_open")?.System);
            Assert.NotNull(c.Find("sched_switch"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ListsEveryFormatOfADirectoryInOrder()
    {
        IReadOnlyList<EventFormat> all = Load().Formats;

        Assert.Equal(12, all.Count);
        Assert.Equal("block:block_rq_complete", all[0].FullName);
        Assert.Equal("text_fixture:libc_open_ret", all[^1].FullName);
    }

    [Fact]
    public void InMemoryFormatsKeepTheirOrderAndTheCallersParseFailures()
    {
        EventFormat sw = EventFormatParser.Parse(Fixtures.Text("6.18/formats/sched/sched_switch/format"), "sched");
        EventFormat exec = EventFormatParser.Parse(Fixtures.Text("6.18/formats/sched/sched_process_exec/format"), "sched");
        EventFormatCatalog c = EventFormatCatalog.FromFormats([sw, exec], ["sched: name: broken: no ID"]);

        Assert.Equal([sw, exec], c.Formats);
        Assert.Same(exec, c.FindById(exec.Id));
        Assert.Equal(["sched: name: broken: no ID"], c.ParseFailures);
    }

    [Fact]
    public void AnUnreadableFormatIsUnknownAndSaid()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pstrace-catalog-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sched", "sched_switch"));
            File.Copy(Fixtures.PathOf("6.18/formats/sched/sched_switch/format"), Path.Combine(dir, "sched", "sched_switch", "format"));
            Directory.CreateDirectory(Path.Combine(dir, "bad", "no_id"));
            File.WriteAllText(Path.Combine(dir, "bad", "no_id", "format"), "name: no_id\nformat:\n");
            EventFormatCatalog c = EventFormatCatalog.Load(dir);

            Assert.Null(c.FindById(1));
            Assert.Equal("sched_switch", c.FindById(372)?.Name);
            Assert.Null(c.Find("no_id"));
            string failure = Assert.Single(c.ParseFailures);
            Assert.StartsWith("bad/no_id: ", failure);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AnIdNotSeenBeforeIsFoundAfterRefresh()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pstrace-catalog-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sched", "sched_switch"));
            File.Copy(Fixtures.PathOf("6.18/formats/sched/sched_switch/format"), Path.Combine(dir, "sched", "sched_switch", "format"));
            EventFormatCatalog c = EventFormatCatalog.Load(dir);
            Assert.Null(c.FindById(2326));

            Directory.CreateDirectory(Path.Combine(dir, "text_fixture", "libc_open"));
            File.Copy(Fixtures.PathOf("6.18/formats/text_fixture/libc_open/format"), Path.Combine(dir, "text_fixture", "libc_open", "format"));
            Assert.Null(c.FindById(2326));
            c.Refresh();

            Assert.Equal("libc_open", c.FindById(2326)?.Name);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
