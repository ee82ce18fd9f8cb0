using System.Globalization;
using System.Numerics;

namespace PSTrace.Core.Pictures;

/// <summary>
/// Where a value falls in a histogram, and how a bucket is labelled: powers of two as bpftrace's hist()
/// ([0], [1], [2, 4), [4, 8), ..., negatives in one bucket), or fixed steps as its lhist().
/// </summary>
public abstract class HistogramScale
{
    /// <summary>The bucket of every negative value on the power-of-two scale.</summary>
    public const long NegativeBucket = -1;

    public static HistogramScale Log2 { get; } = new PowerOfTwoScale();

    /// <summary>Buckets of <paramref name="step"/> each, from 0 both ways: [0, step), [step, 2*step), [-step, 0)...</summary>
    public static HistogramScale Linear(double step) => step > 0 && double.IsFinite(step)
        ? new LinearScale(step)
        : throw new ArgumentOutOfRangeException(nameof(step), step, "A linear histogram's step must be a finite number above 0.");

    /// <summary>The index of the bucket that holds <paramref name="value"/>.</summary>
    public abstract long IndexOf(double value);

    /// <summary>The lowest value of a bucket; null when it has no lower end (the negatives of the power-of-two scale).</summary>
    public abstract double? LowOf(long index);

    /// <summary>The first value above a bucket.</summary>
    public abstract double HighOf(long index);

    /// <summary>The bucket's label; <paramref name="integral"/>: every value counted was a whole number, so [1, 2) holds only 1 and reads "[1]".</summary>
    public abstract string LabelOf(long index, bool integral);

    private sealed class PowerOfTwoScale : HistogramScale
    {
        public override long IndexOf(double value)
        {
            if (value < 0)
            {
                return NegativeBucket;
            }

            // [2^(k-1), 2^k) is bucket k: its edges are whole numbers, so the whole part decides.
            ulong whole = value >= ulong.MaxValue ? ulong.MaxValue : (ulong)value;
            return 64 - BitOperations.LeadingZeroCount(whole);
        }

        public override double? LowOf(long index) => index switch
        {
            NegativeBucket => null,
            0 => 0,
            _ => Math.Pow(2, index - 1),
        };

        public override double HighOf(long index) => index == NegativeBucket ? 0 : Math.Pow(2, index);

        public override string LabelOf(long index, bool integral) => index switch
        {
            NegativeBucket => "(..., 0)",
            0 or 1 when integral => $"[{index}]",
            _ => $"[{Shorten(LowOf(index)!.Value)}, {Shorten(HighOf(index))})",
        };

        /// <summary>Powers of two from 1024 up as bpftrace writes them: 1K, 512K, 1M, 4G.</summary>
        private static string Shorten(double value)
        {
            string[] suffixes = ["", "K", "M", "G", "T", "P", "E"];
            int step = 0;
            while (value >= 1024 && step < suffixes.Length - 1)
            {
                value /= 1024;
                step++;
            }

            return value.ToString("0", CultureInfo.InvariantCulture) + suffixes[step];
        }
    }

    private sealed class LinearScale(double step) : HistogramScale
    {
        public override long IndexOf(double value) => (long)Math.Floor(value / step);

        public override double? LowOf(long index) => index * step;

        public override double HighOf(long index) => (index + 1) * step;

        public override string LabelOf(long index, bool integral) => string.Create(CultureInfo.InvariantCulture,
            $"[{index * step:G10}, {(index + 1) * step:G10})");
    }
}
