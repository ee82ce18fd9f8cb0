using PSTrace.Core.Pictures;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Pictures;

/// <summary>Histograms counted in the kernel as log2 slots come out as the records of the same values counted here.</summary>
public sealed class HistogramBuilderFromLog2SlotsTests
{
    [Fact]
    public void Slots_give_the_buckets_of_the_same_values_counted_one_by_one()
    {
        ulong[] values = [0, 1, 1, 3, 2, 40, 33, 63, 600, 1500];
        var builder = new HistogramBuilder(HistogramScale.Log2);
        var slots = new Dictionary<int, long>();
        foreach (ulong v in values)
        {
            builder.Add(v);
            int slot = Log2Slots.SlotOf(v);
            slots[slot] = slots.GetValueOrDefault(slot) + 1;
        }

        IReadOnlyList<HistogramBucket> expected = builder.Buckets("Duration (us)", "read", "us");
        IReadOnlyList<HistogramBucket> fromSlots = HistogramBuilder.FromLog2Slots(new Log2Slots("Duration (us)", "read", "us", slots));

        Assert.Equal(expected.Select(b => b.ToString()), fromSlots.Select(b => b.ToString()));
        Assert.Equal(expected.Select(b => (b.Low, b.High, b.Count, b.Group, b.Unit)), fromSlots.Select(b => (b.Low, b.High, b.Count, b.Group, b.Unit)));
        Assert.Equal(["[0]", "[1]", "[2, 4)"], fromSlots.Take(3).Select(b => b.Range));
        Assert.Equal(values.Length, fromSlots.Sum(b => b.Count));
    }

    [Fact]
    public void Empty_slots_give_no_buckets_and_bad_slots_are_refused()
    {
        Assert.Empty(HistogramBuilder.FromLog2Slots(new Log2Slots("x", null, null, new Dictionary<int, long> { [3] = 0 })));
        Assert.Throws<ArgumentOutOfRangeException>(() => HistogramBuilder.FromLog2Slots(new Log2Slots("x", null, null, new Dictionary<int, long> { [65] = 1 })));
        Assert.Throws<ArgumentOutOfRangeException>(() => HistogramBuilder.FromLog2Slots(new Log2Slots("x", null, null, new Dictionary<int, long> { [2] = -1 })));
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1UL, 1)]
    [InlineData(2UL, 2)]
    [InlineData(3UL, 2)]
    [InlineData(4UL, 3)]
    [InlineData(1023UL, 10)]
    [InlineData(1024UL, 11)]
    [InlineData(ulong.MaxValue, 64)]
    public void A_slot_is_what_the_kernel_programs_compute(ulong value, int slot) => Assert.Equal(slot, Log2Slots.SlotOf(value));
}
