using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Pictures;

/// <summary>
/// Counts values into the buckets of one histogram as they come (a count per bucket, not the values), then hands
/// the buckets out from the first with values to the last, the empty ones between included, as bpftrace prints them.
/// </summary>
public sealed class HistogramBuilder
{
    /// <summary>More buckets than this is a step too small for the values' range, not a picture anyone can read.</summary>
    public const int MaxBuckets = 10_000;

    private readonly HistogramScale _scale;
    private readonly SortedDictionary<long, long> _counts = new();
    private bool _integral = true;

    public HistogramBuilder(HistogramScale scale)
    {
        _scale = scale;
    }

    /// <summary>
    /// A histogram counted elsewhere (in a BPF map) on the power-of-two scale: slot k holds the count of
    /// [2^(k-1), 2^k) and slot 0 that of 0, as <see cref="HistogramScale.Log2"/> numbers its buckets; the values were whole numbers.
    /// </summary>
    public static HistogramBuilder FromLog2Slots(IEnumerable<KeyValuePair<long, long>> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var builder = new HistogramBuilder(HistogramScale.Log2);
        foreach ((long slot, long count) in slots)
        {
            if (slot is < 0 or > 64 || count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(slots), $"slot {slot}, count {count}: a power-of-two slot is 0 to 64 and a count is not negative.");
            }

            if (count > 0)
            {
                builder._counts[slot] = builder._counts.GetValueOrDefault(slot) + count;
                builder.Total += count;
            }
        }

        return builder;
    }

    /// <summary>Values counted.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one value; NaN and infinities belong to no bucket and are refused.</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A histogram counts finite numbers only.");
        }

        long index = _scale.IndexOf(value);
        _counts[index] = _counts.GetValueOrDefault(index) + 1;
        _integral &= value == Math.Floor(value);
        Total++;
    }

    /// <summary>
    /// The buckets of a histogram counted in the kernel as log2 slots (bpftrace's hist(): slot 0 holds 0, slot k holds
    /// [2^(k-1), 2^k) of whole numbers): the same HistogramBucket records, ranges and bars as values counted here.
    /// </summary>
    public static IReadOnlyList<HistogramBucket> FromLog2Slots(Log2Slots slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return FromLog2Slots(slots.Counts.Select(c => KeyValuePair.Create((long)c.Key, c.Value))).Buckets(slots.Histogram, slots.Group, slots.Unit);
    }

    /// <summary>The buckets, each with its bar against the fullest one; none when nothing was counted.</summary>
    /// <param name="histogram">What was counted, as the buckets name it ("Latency (us)").</param>
    /// <param name="group">The -GroupBy value these values share; null for none.</param>
    /// <param name="unit">The values' unit ("us"); null for plain numbers.</param>
    public IReadOnlyList<HistogramBucket> Buckets(string histogram, string? group, string? unit)
    {
        if (_counts.Count == 0)
        {
            return [];
        }

        long first = _counts.Keys.First();
        long last = _counts.Keys.Last();
        if (last - first >= MaxBuckets)
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "HistogramTooWide",
                $"The values of {histogram} span {last - first + 1} buckets of this step; at most {MaxBuckets} are drawn.",
                "Give a larger -Step, or use the power-of-two scale (-Log2).", histogram);
        }

        long fullest = _counts.Values.Max();
        var buckets = new List<HistogramBucket>((int)(last - first + 1));
        for (long index = first; index <= last; index++)
        {
            long count = _counts.GetValueOrDefault(index);
            int bar = (int)(count * HistogramBucket.BarWidth / fullest);
            buckets.Add(new HistogramBucket(histogram, group, _scale.LowOf(index), _scale.HighOf(index), count, unit,
                _scale.LabelOf(index, _integral), bar));
        }

        return buckets;
    }
}
