using PSTrace.Core.Pictures;

namespace PSTrace.Tests.Pictures;

/// <summary>Bucket edges and labels: power-of-two buckets as bpftrace's hist() makes them, fixed steps as its lhist().</summary>
public sealed class HistogramScaleTests
{
    [Theory]
    [InlineData(0, 0, "[0]")]
    [InlineData(1, 1, "[1]")]
    [InlineData(2, 2, "[2, 4)")]
    [InlineData(3, 2, "[2, 4)")]
    [InlineData(4, 3, "[4, 8)")]
    [InlineData(255, 8, "[128, 256)")]
    [InlineData(256, 9, "[256, 512)")]
    [InlineData(1023, 10, "[512, 1K)")]
    [InlineData(1024, 11, "[1K, 2K)")]
    [InlineData(1_500_000, 21, "[1M, 2M)")]
    [InlineData(5_000_000_000, 33, "[4G, 8G)")]
    [InlineData(-1, -1, "(..., 0)")]
    [InlineData(-1_000_000, -1, "(..., 0)")]
    public void Whole_numbers_fall_in_powers_of_two_as_bpftrace_labels_them(double value, long index, string label)
    {
        HistogramScale scale = HistogramScale.Log2;

        Assert.Equal(index, scale.IndexOf(value));
        Assert.Equal(label, scale.LabelOf(index, integral: true));
    }

    [Fact]
    public void Each_power_of_two_bucket_holds_its_low_edge_and_not_its_high_one()
    {
        HistogramScale scale = HistogramScale.Log2;
        for (long index = 1; index < 63; index++)
        {
            double low = scale.LowOf(index)!.Value;
            double high = scale.HighOf(index);
            Assert.Equal(index, scale.IndexOf(low));
            Assert.Equal(index + 1, scale.IndexOf(high));
            Assert.Equal(index, scale.IndexOf(Math.BitDecrement(high)));
        }

        Assert.Null(scale.LowOf(HistogramScale.NegativeBucket));
        Assert.Equal(0, scale.HighOf(HistogramScale.NegativeBucket));
    }

    [Fact]
    public void Fractions_below_two_are_labelled_as_ranges()
    {
        HistogramScale scale = HistogramScale.Log2;

        Assert.Equal(0, scale.IndexOf(0.5));
        Assert.Equal(1, scale.IndexOf(1.75));
        Assert.Equal(-1, scale.IndexOf(-0.25));
        Assert.Equal("[0, 1)", scale.LabelOf(0, integral: false));
        Assert.Equal("[1, 2)", scale.LabelOf(1, integral: false));
    }

    [Theory]
    [InlineData(0, 0, "[0, 10)")]
    [InlineData(9.99, 0, "[0, 10)")]
    [InlineData(10, 1, "[10, 20)")]
    [InlineData(-0.5, -1, "[-10, 0)")]
    [InlineData(-10, -1, "[-10, 0)")]
    [InlineData(-10.5, -2, "[-20, -10)")]
    public void Linear_buckets_count_steps_from_zero_both_ways(double value, long index, string label)
    {
        HistogramScale scale = HistogramScale.Linear(10);

        Assert.Equal(index, scale.IndexOf(value));
        Assert.Equal(label, scale.LabelOf(index, integral: true));
        Assert.Equal(index * 10.0, scale.LowOf(index));
        Assert.Equal((index + 1) * 10.0, scale.HighOf(index));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_step_that_is_not_above_zero_is_refused(double step)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HistogramScale.Linear(step));
    }
}
