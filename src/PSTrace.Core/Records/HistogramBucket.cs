using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One bucket of a histogram: how many values fell in [Low, High). Measure-TraceHistogram makes them from
/// piped records; histograms counted in the kernel come out as the same objects. A histogram is the buckets
/// of one <see cref="Histogram"/> name, from the first bucket with values to the last, empty ones between.
/// </summary>
public sealed class HistogramBucket
{
    /// <summary>The width of the bar of the fullest bucket, as bpftrace draws it.</summary>
    public const int BarWidth = 52;

    public HistogramBucket(string histogram, string? group, double? low, double high, long count, string? unit, string range, int barLength)
    {
        Histogram = histogram;
        Group = group;
        Low = low;
        High = high;
        Count = count;
        Unit = unit;
        Range = range;
        Bar = new string('@', Math.Clamp(barLength, 0, BarWidth));
    }

    /// <summary>What was counted: the property's name, with the unit ("Latency (us)").</summary>
    public string Histogram { get; }

    /// <summary>The value of the -GroupBy property the bucket counts for; null without -GroupBy.</summary>
    public string? Group { get; }

    /// <summary>The lowest value in the bucket; null for the bucket of every negative value (bpftrace's "(..., 0)").</summary>
    public double? Low { get; }

    /// <summary>The first value above the bucket (not in it).</summary>
    public double High { get; }

    public long Count { get; }

    /// <summary>"us" where the values were TimeSpans (counted in whole microseconds, as bpftrace's usecs); null for plain numbers.</summary>
    public string? Unit { get; }

    /// <summary>The bucket as bpftrace labels it: "[0]", "[1]", "[2, 4)", "[1K, 2K)", "(..., 0)".</summary>
    public string Range { get; }

    /// <summary>The bucket's bar: its count against the fullest bucket of its histogram, in at most 52 '@'.</summary>
    public string Bar { get; }

    /// <summary>The bucket as a line of bpftrace's hist(): range, count and bar, 79 columns.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Range,-16}{Count,8} |{Bar.PadRight(BarWidth)}|");
}
