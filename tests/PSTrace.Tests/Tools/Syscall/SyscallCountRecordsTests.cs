using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PSTrace.Core.Records;
using PSTrace.Core.Tools.Syscall;

namespace PSTrace.Tests.Tools.Syscall;

/// <summary>syscall.bpf.c's map entries, summed over CPUs, into the records the tracefs backend writes.</summary>
public sealed class SyscallCountRecordsTests
{
    private static byte[] Key(uint nr, uint second)
    {
        byte[] key = new byte[SyscallCountRecords.KeySize];
        BinaryPrimitives.WriteUInt32LittleEndian(key, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(key.AsSpan(4), second);
        return key;
    }

    [Fact]
    public void Calls_of_several_processes_add_up_per_system_call_most_time_first()
    {
        var totals = new SyscallTotals();
        SyscallCountRecords.AddCalls(totals, [(Key(110, 100), [600, 0, 1000]), (Key(110, 200), [400, 0, 500]), (Key(3, 100), [300, 300, 9000]), (Key(9999, 1), [1, 1, 1])], []);
        List<SyscallSummary> s = totals.Summaries().ToList();
        Assert.Equal([(SyscallNames.Of(3), 300L, 300L, 9000UL), (SyscallNames.Of(110), 1000L, 0L, 1500UL), ("syscall_9999", 1L, 1L, 1UL)],
            s.Select(x => (x.Name, x.Calls, x.Errors, x.TotalNanoseconds)));
        Assert.Equal(100.0, s.Sum(x => x.PercentTime), 6);
    }

    [Fact]
    public void Names_given_keep_only_their_calls()
    {
        if (RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            return;
        }

        var totals = new SyscallTotals();
        SyscallCountRecords.AddCalls(totals, [(Key(110, 1), [1, 0, 1]), (Key(3, 1), [1, 0, 1]), (Key(257, 1), [1, 1, 1])], ["get*", "open?t"]);
        Assert.Equal(["getppid", "openat"], totals.Summaries().Select(s => s.Name).Order());
    }

    [Fact]
    public void Slots_become_one_histogram_per_system_call_by_name()
    {
        var latencies = new SyscallLatencies();
        SyscallCountRecords.AddSlots(latencies, [(Key(110, 0), [999]), (Key(110, 1), [1]), (Key(3, 4), [300])], []);
        List<Log2Slots> h = latencies.Histograms().ToList();
        Assert.Equal(new[] { SyscallNames.Of(110), SyscallNames.Of(3) }.Order(StringComparer.Ordinal), h.Select(x => x.Group!));
        Log2Slots ppid = h.Single(x => x.Group == SyscallNames.Of(110));
        Assert.Equal(("Duration (us)", "us"), (ppid.Histogram, ppid.Unit!));
        Assert.Equal(new Dictionary<int, long> { [0] = 999, [1] = 1 }, ppid.Counts);
    }
}
