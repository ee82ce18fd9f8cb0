using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Binary;

/// <summary>
/// A real trace.dat (tracedat-v6.dat: 1677 events recorded on 6.18) damaged in the test: pages that
/// cannot be decoded are named (CPU, offset), skipped, and marked by a TraceLostEvents record where the
/// gap is; the pages after them are still read. Before, 64 KB of zeros lost half the events in silence.
/// </summary>
public sealed class DamagedPagesTests : IDisposable
{
    private const int AllEvents = 1677;

    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-damaged-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ZeroedPagesAreNamedAndMarkedAndThePagesAfterThemAreRead()
    {
        byte[] bytes = File.ReadAllBytes(Fixtures.PathOf("6.18/tracedat-v6.dat"));
        TraceDatCpuData cpu = LargestCpu();
        const int Zeroed = 64 * 1024;
        long start = cpu.Offset + 4096;
        int length = (int)Math.Min(Zeroed, cpu.Size - 3 * 4096);
        Array.Clear(bytes, (int)start, length);

        (List<object> records, List<DamagedPage> damage) = Read(bytes);

        List<TraceEvent> events = records.OfType<TraceEvent>().ToList();
        Assert.InRange(events.Count, 1, AllEvents - 1);
        Assert.Equal(length / 4096, damage.Count);
        Assert.All(damage, d =>
        {
            Assert.Equal(cpu.Cpu, d.Cpu);
            Assert.InRange(d.PageOffset, start, start + length - 1);
            Assert.Contains($"CPU {cpu.Cpu}'s page at offset 0x{d.PageOffset:x}", d.Message);
        });

        // One gap, where the zeros are: after the CPU's first page, before the pages after the zeros.
        TraceLostEvents gap = Assert.Single(records.OfType<TraceLostEvents>(), l => l.Cpu == cpu.Cpu && l.Count is null);
        int at = records.IndexOf(gap);
        Assert.Contains(records.Take(at), r => r is TraceEvent e && e.Cpu == cpu.Cpu);
        Assert.Contains(records.Skip(at + 1), r => r is TraceEvent e && e.Cpu == cpu.Cpu);
    }

    [Fact]
    public void APageWithAnImpossibleCommitIsSkippedAndTheRestOfTheCpuIsRead()
    {
        // CPU 1's third page starts at 0x3e000; its commit word (0x3e008) claims more than a page holds.
        byte[] bytes = File.ReadAllBytes(Fixtures.PathOf("6.18/tracedat-v6.dat"));
        BitConverter.GetBytes(0xffffffL).CopyTo(bytes, 0x3e008);

        (List<object> records, List<DamagedPage> damage) = Read(bytes);

        DamagedPage d = Assert.Single(damage);
        Assert.Equal(1, d.Cpu);
        Assert.Equal(0x3e000, d.PageOffset);
        Assert.Equal(0x3e008, d.Offset);
        Assert.Single(records.OfType<TraceLostEvents>(), l => l.Cpu == 1 && l.Count is null);
        int read = records.OfType<TraceEvent>().Count();
        Assert.InRange(read, AllEvents - 200, AllEvents - 1);
    }

    [Fact]
    public void AnUndamagedFileHasNoDamage()
    {
        (List<object> records, List<DamagedPage> damage) = Read(File.ReadAllBytes(Fixtures.PathOf("6.18/tracedat-v6.dat")));

        Assert.Empty(damage);
        Assert.Equal(AllEvents, records.OfType<TraceEvent>().Count());
    }

    private static TraceDatCpuData LargestCpu()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v6.dat"));
        return dat.Buffers.SelectMany(b => b.Cpus).MaxBy(c => c.Size)!;
    }

    private (List<object> Records, List<DamagedPage> Damage) Read(byte[] bytes)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("n") + ".dat");
        File.WriteAllBytes(path, bytes);
        var damage = new List<DamagedPage>();
        using TraceDatFile dat = TraceDatFile.Open(path);
        dat.PageDamaged = damage.Add;
        return (dat.ReadEvents().ToList(), damage);
    }
}
