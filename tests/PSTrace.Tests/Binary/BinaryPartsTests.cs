using System.Collections;
using System.IO.Compression;
using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Binary;

/// <summary>The smaller pieces of the binary path, over real data.</summary>
public sealed class BinaryPartsTests
{
    [Fact]
    public void KallsymsLookupFindsTheEnclosingSymbol()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        KernelSymbols k = dat.Kallsyms;
        KernelSymbol wakeup = k.Symbols.First(s => s.Name == "hrtimer_wakeup");
        Assert.Equal('T', char.ToUpperInvariant(wakeup.Type));
        Assert.Null(wakeup.Module);
        Assert.Same(wakeup, k.Lookup(wakeup.Address));
        Assert.Equal("hrtimer_wakeup+0x4", k.Format(wakeup.Address + 4));
        Assert.Equal("0x10", k.Format(0x10)); // below every symbol
        KernelSymbol last = k.Symbols[^1];
        Assert.Null(k.Lookup(last.Address + 1)); // nothing says where the last one ends

        // Aliases at one address: the first in kallsyms order (_stext before _text in this file).
        Assert.Equal("_stext", k.Lookup(0xffffffff81000000)!.Name);
    }

    [Fact]
    public void SavedCmdlinesKeepCommsWithSpaces()
    {
        TaskNames t = TaskNames.Parse("1 systemd\n6880 qemu-system-x86\n11427 .NET Server GC\n", "6880 6869\n11427 11400\n");
        Assert.Equal(".NET Server GC", t.CommandOf(11427));
        Assert.Equal("<idle>", t.CommandOf(0));
        Assert.Equal("<...>", t.CommandOf(99999));
        Assert.Equal(6869, t.ThreadGroupOf(6880));
        Assert.Null(t.ThreadGroupOf(1));
    }

    [Fact]
    public void SavedCmdlinesFixtureParses()
    {
        TaskNames t = TaskNames.Parse(Fixtures.Text("6.18/pages/saved_cmdlines"), Fixtures.Text("6.18/pages/saved_tgids"));
        Assert.True(t.Commands.Count > 1000);
        Assert.True(t.ThreadGroups.Count > 10);
    }

    [Fact]
    public void FieldsWorkAsANonGenericDictionaryForPowerShell()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        TraceEvent sw = dat.ReadEvents().OfType<TraceEvent>().First(e => e.Name == "sched_switch");
        var dict = Assert.IsAssignableFrom<IDictionary>(sw.Fields);
        Assert.True(dict.IsReadOnly);
        Assert.Equal(sw.Fields["next_pid"], dict["next_pid"]);
        Assert.Null(dict["no_such_field"]);
        Assert.Throws<NotSupportedException>(() => dict["next_pid"] = 1);
        Assert.Equal(["prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "next_pid", "next_prio"], sw.Fields.Keys);
        Assert.Equal(7, dict.Keys.Count);
        Assert.Throws<KeyNotFoundException>(() => sw.Fields["no_such_field"]);
    }

    [Fact]
    public void ZlibChunksDecompressLikeZstdOnes()
    {
        // trace-cmd 3.1.6 here is built without zlib, so no real zlib trace.dat exists: compress real
        // pages with zlib (the format compress2 writes) and read them back through the same path.
        byte[] pages = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"));
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(pages);
        }

        using Decompressor zlib = Decompressor.For("zlib", 0)!;
        var back = new byte[pages.Length];
        zlib.Decompress(compressed.ToArray(), back, 0);
        Assert.Equal(pages, back);
        Assert.Equal(pages, zlib.DecompressSection(compressed.ToArray(), pages.Length, 0));

        TraceDataException e = Assert.Throws<TraceDataException>(() => zlib.DecompressSection(compressed.ToArray(), pages.Length - 1, 1234));
        Assert.Equal(1234, e.Offset);
        Assert.Throws<TraceDataException>(() => zlib.Decompress(pages.AsSpan(0, 100), new byte[4096], 0));
    }

    [Fact]
    public void UnknownCompressionIsNamed()
    {
        TraceDataException e = Assert.Throws<TraceDataException>(() => Decompressor.For("lz4", 42));
        Assert.Contains("lz4", e.Message);
        Assert.Equal(42, e.Offset);
    }
}
