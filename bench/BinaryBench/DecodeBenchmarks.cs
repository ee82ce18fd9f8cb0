using BenchmarkDotNet.Attributes;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Binary.TraceDat;

namespace BinaryBench;

/// <summary>Reads every event of a trace.dat file (open included), and decodes raw pages from memory.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private byte[] _pages = [];
    private RingBufferPageDecoder? _decoder;

    [ParamsSource(nameof(Files))]
    public string File { get; set; } = "";

    public static IEnumerable<string> Files() => BenchFiles.TraceDat();

    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.Combine(BenchFiles.FixtureDir, "pages");
        _pages = System.IO.File.ReadAllBytes(Path.Combine(dir, "cpu0.raw"));
        _decoder = new RingBufferPageDecoder(
            RingBufferLayout.Parse(System.IO.File.ReadAllText(Path.Combine(dir, "header_page"))),
            EventFormatCatalog.Load(Path.Combine(dir, "events")),
            TaskNames.Parse(System.IO.File.ReadAllText(Path.Combine(dir, "saved_cmdlines"))));
    }

    /// <summary>Open, read the metadata, decode and merge every event.</summary>
    [Benchmark]
    public int ReadTraceDat()
    {
        using TraceDatFile dat = TraceDatFile.Open(File);
        int n = 0;
        foreach (object _ in dat.ReadEvents())
        {
            n++;
        }

        return n;
    }

    /// <summary>Decode the raw-page fixture (cpu0.raw, 15 pages) from memory: the live reader's path.</summary>
    [Benchmark]
    public int DecodeRawPages()
    {
        int n = 0;
        foreach (object _ in _decoder!.ReadPages(new MemoryStream(_pages, writable: false), 0))
        {
            n++;
        }

        return n;
    }
}
