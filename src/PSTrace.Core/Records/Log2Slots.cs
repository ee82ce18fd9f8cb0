using System.Numerics;

namespace PSTrace.Core.Records;

/// <summary>
/// A histogram counted in the kernel, as its log2 slots (bpftrace's hist(): slot 0 holds 0, slot k holds
/// [2^(k-1), 2^k)) with their counts; Pictures.HistogramBuilder.FromLog2Slots turns it into HistogramBucket records.
/// </summary>
public sealed class Log2Slots
{
    public Log2Slots(string histogram, string? group, string? unit, IReadOnlyDictionary<int, long> counts)
    {
        Histogram = histogram;
        Group = group;
        Unit = unit;
        Counts = counts;
    }

    /// <summary>What was counted, as the buckets name it ("Duration (us)").</summary>
    public string Histogram { get; }

    /// <summary>What the values share (a system call's name); null for none.</summary>
    public string? Group { get; }

    /// <summary>The values' unit ("us"); null for plain numbers.</summary>
    public string? Unit { get; }

    /// <summary>The slot of a whole number, as the kernel programs compute it: 0 for 0, else floor(log2(value)) + 1.</summary>
    public static int SlotOf(ulong value) => 64 - BitOperations.LeadingZeroCount(value);

    /// <summary>Values counted per slot; slots without values may be left out.</summary>
    public IReadOnlyDictionary<int, long> Counts { get; }
}
