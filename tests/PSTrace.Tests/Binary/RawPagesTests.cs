using System.Globalization;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Binary;

/// <summary>
/// Pages copied from an instance's per_cpu/cpuN/trace_pipe_raw, decoded with the instance's
/// header_page and formats, against the kernel's own text of the same events (its `trace` file,
/// read just before).
/// </summary>
public sealed class RawPagesTests
{
    private static RingBufferPageDecoder Decoder()
    {
        RingBufferLayout layout = RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page"));
        EventFormatCatalog events = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));
        TaskNames tasks = TaskNames.Parse(Fixtures.Text("6.18/pages/saved_cmdlines"), Fixtures.Text("6.18/pages/saved_tgids"));
        return new RingBufferPageDecoder(layout, events, tasks);
    }

    private static List<object> Decode(int cpu)
    {
        using FileStream raw = File.OpenRead(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw"));
        return Decoder().ReadPages(raw, cpu).ToList();
    }

    [Fact]
    public void HeaderPageGivesTheLayout()
    {
        RingBufferLayout layout = RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page"));
        Assert.Equal((0, 8, 8, 16, 4096), (layout.TimestampOffset, layout.CommitOffset, layout.CommitSize, layout.DataOffset, layout.PageSize));
        Assert.Equal(4080, layout.DataCapacity);
    }

    [Fact]
    public void FirstPageDecodesAsTheBytesSay()
    {
        // cpu0.raw starts: 2942e73caa000000 (timestamp 731166229033) cc0f000000000000 (4044 bytes, no flags),
        // then a record header 09000000 (9 words, delta 0): common_type 0x177, flags 0x09, preempt 2, pid 0x22d2.
        byte[] page = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"))[..4096];
        List<object> output = Decoder().ReadPages(new MemoryStream(page), 0).ToList();

        Assert.NotEmpty(output);
        var first = (TraceEvent)output[0];
        Assert.Equal(731166229033UL, first.TimestampNanoseconds);
        Assert.Equal("sched_waking", first.Name);
        Assert.Equal(8914, first.ProcessId);
        Assert.Equal("d.h2.", first.Flags);
        Assert.Equal("qemu-system-x86", first.Command);
        Assert.Equal(6880L, first.Fields["pid"]);
        Assert.All(output, o => Assert.IsType<TraceEvent>(o));
    }

    [Fact]
    public void EveryRecordMatchesTheKernelsText()
    {
        List<KernelTextLine> text = KernelText.Parse(Fixtures.Text("6.18/pages/trace.txt"));
        Assert.Equal(1483, text.Count); // "entries-in-buffer/entries-written: 1483/1483"

        int compared = 0, fieldsCompared = 0;
        foreach (int cpu in new[] { 0, 1 })
        {
            List<TraceEvent> mine = Decode(cpu).Cast<TraceEvent>().ToList();
            List<KernelTextLine> kernel = text.Where(t => t.Cpu == cpu).ToList();
            Assert.Equal(kernel.Count, mine.Count);
            for (int i = 0; i < mine.Count; i++)
            {
                TraceEvent e = mine[i];
                KernelTextLine k = kernel[i];
                string where = $"CPU {cpu} event {i}: {k}";

                // The kernel prints microseconds rounded to nearest (ns2usecs adds 500).
                Assert.True((e.TimestampNanoseconds + 500) / 1000 == k.Microseconds, where);
                Assert.True(e.ProcessId == k.Pid, where);
                Assert.True(e.Flags == k.Flags, where + " flags " + e.Flags);
                Assert.True(k.Command == "<...>" || e.Command == k.Command, where + " comm " + e.Command);
                string kernelName = e.Name switch { "print" => "tracing_mark_write", "raw_data" => "# 2a buf", _ => e.Name };
                Assert.True(kernelName == k.Name, where);
                fieldsCompared += CompareFields(e, k, where);
                compared++;
            }
        }

        Assert.Equal(1483, compared);
        Assert.True(fieldsCompared > 5000, $"only {fieldsCompared} field values compared");
    }

    /// <summary>Fields the print fmt shows as name=value with a number or a word; returns how many were compared.</summary>
    private static int CompareFields(TraceEvent e, KernelTextLine k, string where)
    {
        int n = 0;
        if (e.Name == "print")
        {
            Assert.True((string)e.Fields["buf"]! == k.Body + "\n", where);
            return 1;
        }

        if (e.Name == "sys_exit")
        {
            Assert.True($"NR {e.Fields["id"]} = {e.Fields["ret"]}" == k.Body, where);
            return 2;
        }

        foreach ((string name, string value) in KernelText.Pairs(k.Body))
        {
            if (!e.Fields.TryGetValue(name, out object? mine) || name == "prev_state")
            {
                continue;
            }

            if (mine is string s)
            {
                Assert.True(s == value, $"{where}: {name}={s}");
            }
            else if (PrintsHex(e, name) && ulong.TryParse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex))
            {
                Assert.True(Convert.ToUInt64(mine, CultureInfo.InvariantCulture) == hex, $"{where}: {name}={mine}");
            }
            else if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
            {
                Assert.True(Convert.ToInt64(mine, CultureInfo.InvariantCulture) == number, $"{where}: {name}={mine}");
            }
            else
            {
                continue;
            }

            n++;
        }

        return n;
    }

    private static readonly EventFormatCatalog Formats = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));

    /// <summary>The print fmt shows the field with %x, %lx or %llx ("clone_flags=%llx").</summary>
    private static bool PrintsHex(TraceEvent e, string field)
    {
        string fmt = Formats.Find(e.System, e.Name)!.PrintFormat;
        int at = fmt.IndexOf(field + "=%", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        int i = at + field.Length + 2;
        while (i < fmt.Length && "0123456789lh".Contains(fmt[i]))
        {
            i++;
        }

        return i < fmt.Length && fmt[i] == 'x';
    }

    [Fact]
    public void ThreadGroupsComeFromSavedTgids()
    {
        TaskNames tasks = TaskNames.Parse(Fixtures.Text("6.18/pages/saved_cmdlines"), Fixtures.Text("6.18/pages/saved_tgids"));
        List<TraceEvent> events = Decode(0).Concat(Decode(1)).Cast<TraceEvent>().ToList();
        Assert.All(events, e => Assert.Equal(tasks.ThreadGroupOf(e.ProcessId), e.ThreadGroupId));
        Assert.Contains(events, e => e.ThreadGroupId is not null);
    }

    [Fact]
    public void APageCutShortIsRefused()
    {
        byte[] pages = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"))[..(4096 + 100)];
        TraceDataException e = Assert.Throws<TraceDataException>(() => Decoder().ReadPages(new MemoryStream(pages), 0).ToList());
        Assert.Equal(4096, e.Offset);
    }
}
