using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Binary.TraceDat;

namespace PSTrace.Tests.Binary;

/// <summary>
/// Real fixtures cut short and with bits flipped: reading either works or ends in a
/// TraceDataException that names an offset; never another exception type, never a hang.
/// </summary>
public sealed class CorruptInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-corrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Files => new() { "6.18/tracedat-v7-zstd.dat", "6.18/tracedat-v7-none.dat", "6.18/tracedat-v6.dat" };

    [Theory]
    [MemberData(nameof(Files))]
    public void TruncatedTraceDatFails(string fixture)
    {
        byte[] whole = File.ReadAllBytes(Fixtures.PathOf(fixture));
        var cuts = new SortedSet<int>();
        for (int i = 0; i < 4096; i += 23)
        {
            cuts.Add(i);
        }

        for (int i = 1; i < 150; i++)
        {
            cuts.Add((int)((long)whole.Length * i / 150));
        }

        int failed = 0;
        foreach (int cut in cuts)
        {
            if (TryRead(whole[..cut], $"cut at {cut}") is not null)
            {
                failed++;
            }
        }

        // Every cut leaves a file whose CPU data, metadata or header runs past its end.
        Assert.Equal(cuts.Count, failed);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void FlippedBitsInTraceDatFailCleanly(string fixture)
    {
        byte[] whole = File.ReadAllBytes(Fixtures.PathOf(fixture));
        var random = new Random(fixture.Length * 7919);
        for (int round = 0; round < 200; round++)
        {
            byte[] bytes = (byte[])whole.Clone();
            var flips = new List<int>();
            for (int k = random.Next(1, 5); k > 0; k--)
            {
                // Half in the first 64 KB (headers, options, formats), half anywhere.
                int at = round % 2 == 0 ? random.Next(Math.Min(bytes.Length, 65536)) : random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                flips.Add(at);
            }

            TryRead(bytes, "bits flipped at " + string.Join(",", flips));
        }
    }

    [Fact]
    public void TruncatedPagesFail()
    {
        byte[] pages = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"));
        for (int cut = 1; cut < pages.Length; cut += 97)
        {
            Exception? e = Record.Exception(() => Decoder().ReadPages(new MemoryStream(pages[..cut]), 0).Count());
            if (cut % 4096 == 0)
            {
                Assert.Null(e);
            }
            else
            {
                TraceDataException t = Assert.IsType<TraceDataException>(e);
                Assert.Equal(cut / 4096 * 4096, t.Offset);
            }
        }
    }

    [Fact]
    public void FlippedBitsInPagesFailCleanly()
    {
        byte[] whole = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"));
        var random = new Random(4242);
        int failures = 0;
        for (int round = 0; round < 2000; round++)
        {
            byte[] pages = (byte[])whole.Clone();
            int at = random.Next(pages.Length);
            pages[at] ^= (byte)(1 << random.Next(8));
            Exception? e = Record.Exception(() =>
            {
                foreach (object o in Decoder().ReadPages(new MemoryStream(pages), 0))
                {
                    _ = o.ToString();
                }
            });
            if (e is not null)
            {
                Assert.True(e is TraceDataException, $"flip at {at}: {e}");
                Assert.Contains("offset 0x", e.Message);
                failures++;
            }
        }

        Assert.True(failures > 0, "some flips must be caught");
    }

    private static readonly EventFormatCatalog PageFormats = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));

    private static RingBufferPageDecoder Decoder() => new(RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page")), PageFormats);

    [Theory]
    [InlineData("offset:-8;\tsize:4;")]
    [InlineData("offset:4000;\tsize:4;")]
    [InlineData("offset:8;\tsize:1;")]
    [InlineData("offset:8;\tsize:-4;")]
    [InlineData("offset:8;\tsize:99999;")]
    public void CorruptFormatTextFailsOnlyTheEventsThatUseIt(string damagedField)
    {
        // The real sched_process_exec format with its first field (__data_loc filename, offset 8, size 4) damaged.
        string text = Fixtures.Text("6.18/pages/events/sched/sched_process_exec/format");
        string damaged = text.Replace("filename;\toffset:8;\tsize:4;", "filename;\t" + damagedField, StringComparison.Ordinal);
        Assert.NotEqual(text, damaged);
        var formats = PageFormats.Formats.Where(f => f.Name != "sched_process_exec").Append(PSTrace.Core.Formats.EventFormatParser.Parse(damaged, "sched")).ToList();
        var decoder = new RingBufferPageDecoder(RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page")), EventFormatCatalog.FromFormats(formats));
        using FileStream raw = File.OpenRead(Fixtures.PathOf("6.18/pages/cpu0.raw"));
        Exception? e = Record.Exception(() => decoder.ReadPages(raw, 0).Count());
        if (e is not null)
        {
            TraceDataException t = Assert.IsType<TraceDataException>(e);
            Assert.Contains("sched_process_exec", t.Message);
        }
    }

    /// <summary>Opens and reads everything; returns the TraceDataException, null on success; fails on any other exception.</summary>
    private TraceDataException? TryRead(byte[] bytes, string what)
    {
        string path = Path.Combine(_dir, "x.dat");
        File.WriteAllBytes(path, bytes);
        try
        {
            using TraceDatFile dat = TraceDatFile.Open(path);
            foreach (object o in dat.ReadEvents())
            {
                _ = o.ToString();
            }

            _ = dat.Kallsyms.Count;
            _ = dat.PrintkFormats.Count;
            return null;
        }
        catch (TraceDataException e)
        {
            Assert.Contains("offset 0x", e.Message);
            return e;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name}: {e}");
            return null;
        }
    }
}
