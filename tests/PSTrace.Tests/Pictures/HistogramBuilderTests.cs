using PSTrace.Core.Pictures;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Pictures;

/// <summary>Counting into buckets: the buckets handed out, their bars, and the line each draws.</summary>
public sealed class HistogramBuilderTests
{
    [Fact]
    public void Buckets_run_from_the_first_counted_to_the_last_with_the_empty_ones_between()
    {
        var builder = new HistogramBuilder(HistogramScale.Log2);
        foreach (double value in new double[] { 3, 2, 40, 33, 63, 600 })
        {
            builder.Add(value);
        }

        IReadOnlyList<HistogramBucket> buckets = builder.Buckets("Latency (us)", null, "us");

        Assert.Equal(["[2, 4)", "[4, 8)", "[8, 16)", "[16, 32)", "[32, 64)", "[64, 128)", "[128, 256)", "[256, 512)", "[512, 1K)"], buckets.Select(b => b.Range));
        Assert.Equal([2L, 0, 0, 0, 3, 0, 0, 0, 1], buckets.Select(b => b.Count));
        Assert.Equal(6, builder.Total);
        Assert.All(buckets, b => Assert.Equal(("Latency (us)", "us", (string?)null), (b.Histogram, b.Unit, b.Group)));
        Assert.Equal((32.0, 64.0), (buckets[4].Low!.Value, buckets[4].High));
    }

    [Fact]
    public void The_fullest_bucket_has_the_whole_bar_and_the_others_their_share()
    {
        HistogramBuilder builder = Counted((300, 12), (5, 48), (-3, 1));
        IReadOnlyList<HistogramBucket> buckets = builder.Buckets("x", null, null);

        Assert.Equal("(..., 0)", buckets[0].Range);
        Assert.Null(buckets[0].Low);
        Assert.Equal(HistogramBucket.BarWidth, buckets.Single(b => b.Count == 48).Bar.Length);
        Assert.Equal(12 * 52 / 48, buckets.Single(b => b.Count == 12).Bar.Length);
        Assert.Equal(1 * 52 / 48, buckets[0].Bar.Length);
        Assert.Equal("", buckets.First(b => b.Count == 0).Bar);
    }

    [Fact]
    public void A_line_is_drawn_as_bpftrace_draws_it_within_80_columns()
    {
        HistogramBuilder builder = Counted((300, 12), (1000, 48));

        HistogramBucket bucket = builder.Buckets("x", null, null)[0];

        Assert.Equal("[256, 512)            12 |@@@@@@@@@@@@@                                       |", bucket.ToString());
        Assert.Equal(79, bucket.ToString().Length);
    }

    [Fact]
    public void Whole_numbers_are_labelled_as_single_values_below_two_and_fractions_as_ranges()
    {
        var whole = new HistogramBuilder(HistogramScale.Log2);
        whole.Add(0);
        whole.Add(1);
        var fractions = new HistogramBuilder(HistogramScale.Log2);
        fractions.Add(0.5);
        fractions.Add(1);

        Assert.Equal(["[0]", "[1]"], whole.Buckets("x", null, null).Select(b => b.Range));
        Assert.Equal(["[0, 1)", "[1, 2)"], fractions.Buckets("x", null, null).Select(b => b.Range));
    }

    [Fact]
    public void A_step_too_small_for_the_values_range_is_a_clear_error()
    {
        var builder = new HistogramBuilder(HistogramScale.Linear(1));
        builder.Add(0);
        builder.Add(HistogramBuilder.MaxBuckets * 2);

        TraceException e = Assert.Throws<TraceException>(() => builder.Buckets("Bytes", null, null));
        Assert.Equal("HistogramTooWide", e.ErrorId);
        Assert.Contains("larger -Step", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_counted_gives_no_buckets_and_a_number_that_is_not_finite_is_refused()
    {
        var builder = new HistogramBuilder(HistogramScale.Log2);

        Assert.Empty(builder.Buckets("x", null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(double.NaN));
        Assert.Equal(0, builder.Total);
    }

    /// <summary>A power-of-two histogram of each value counted its number of times.</summary>
    [Fact]
    public void Slots_counted_in_the_kernel_give_the_buckets_their_values_would_give()
    {
        // Slot k of a BPF map holds [2^(k-1), 2^k), slot 0 holds 0: 0, 1, 3, 3, 40 and 600 counted value by value.
        HistogramBuilder fromSlots = HistogramBuilder.FromLog2Slots([new(10, 1), new(0, 1), new(2, 2), new(1, 1), new(6, 1), new(4, 0)]);
        HistogramBuilder fromValues = Counted((0, 1), (1, 1), (3, 2), (40, 1), (600, 1));

        Assert.Equal(6, fromSlots.Total);
        Assert.Equal(fromValues.Buckets("Latency (us)", "vda", "us").Select(b => b.ToString() + b.Group), fromSlots.Buckets("Latency (us)", "vda", "us").Select(b => b.ToString() + b.Group));
        Assert.Equal("[0]", fromSlots.Buckets("x", null, null)[0].Range);
        Assert.Throws<ArgumentOutOfRangeException>(() => HistogramBuilder.FromLog2Slots([new(65, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HistogramBuilder.FromLog2Slots([new(3, -1)]));
    }

    private static HistogramBuilder Counted(params (double Value, int Times)[] values)
    {
        var builder = new HistogramBuilder(HistogramScale.Log2);
        foreach ((double value, int times) in values)
        {
            for (int i = 0; i < times; i++)
            {
                builder.Add(value);
            }
        }

        return builder;
    }
}
