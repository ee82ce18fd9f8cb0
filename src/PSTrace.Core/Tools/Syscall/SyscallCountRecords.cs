using System.Buffers.Binary;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Syscall;

/// <summary>
/// The entries of syscall.bpf.c's maps, as <see cref="Bpf.BpfCounterMap"/> reads them (each value's u64 fields summed
/// over the CPUs), added into the same totals and latencies the tracefs backend counts: pstrace_calls is keyed by
/// (u32 number, u32 thread group) with calls, errors and nanoseconds; pstrace_slots by (u32 number, u32 slot) with a count.
/// </summary>
public static class SyscallCountRecords
{
    public const string CallsMap = "pstrace_calls";
    public const string SlotsMap = "pstrace_slots";
    public const int KeySize = 8;
    public const int CallFields = 3;

    /// <summary>Adds every (number, process) entry of pstrace_calls whose call's name one of <paramref name="patterns"/> matches.</summary>
    public static void AddCalls(SyscallTotals totals, IEnumerable<(byte[] Key, ulong[] Sums)> entries, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(entries);
        foreach ((byte[] key, ulong[] sums) in entries)
        {
            string name = SyscallNames.Of(BinaryPrimitives.ReadUInt32LittleEndian(key));
            if (SyscallWatcher.Matches(patterns, name))
            {
                totals.Add(name, (long)sums[0], (long)sums[1], sums[2]);
            }
        }
    }

    /// <summary>Adds every (number, slot) entry of pstrace_slots whose call's name one of <paramref name="patterns"/> matches.</summary>
    public static void AddSlots(SyscallLatencies latencies, IEnumerable<(byte[] Key, ulong[] Sums)> entries, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        ArgumentNullException.ThrowIfNull(entries);
        foreach ((byte[] key, ulong[] sums) in entries)
        {
            string name = SyscallNames.Of(BinaryPrimitives.ReadUInt32LittleEndian(key));
            if (SyscallWatcher.Matches(patterns, name))
            {
                latencies.Add(name, (int)BinaryPrimitives.ReadUInt32LittleEndian(key.AsSpan(4)), (long)sums[0]);
            }
        }
    }
}
