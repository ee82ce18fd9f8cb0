using PSTrace.Core.Binary;

namespace PSTrace.Tests.Binary;

/// <summary>
/// Cutting real trace_pipe_raw pages (6.18/pages/cpu0.raw) after a timestamp: the records kept are exactly
/// those at or before it, the page stays readable, and a page whose first record is later holds nothing.
/// </summary>
public sealed class PageTrimmerTests
{
    private static readonly RingBufferLayout Layout = RingBufferLayout.Default64();

    [Fact]
    public void A_page_is_cut_before_its_first_record_after_the_timestamp()
    {
        byte[] page = BusiestPage();
        List<ulong> before = Timestamps(page);
        Assert.True(before.Count >= 4, "the fixture's busiest page has several records");
        ulong keepThrough = before[before.Count / 2];

        Assert.Equal(PageTrimmer.Outcome.Cut, PageTrimmer.Trim(page, Layout, bigEndian: false, keepThrough));

        Assert.Equal(before.Where(t => t <= keepThrough), Timestamps(page));
    }

    [Fact]
    public void A_page_wholly_before_the_timestamp_is_kept_unchanged()
    {
        byte[] page = BusiestPage();
        byte[] copy = (byte[])page.Clone();

        Assert.Equal(PageTrimmer.Outcome.Kept, PageTrimmer.Trim(page, Layout, bigEndian: false, Timestamps(page)[^1]));
        Assert.Equal(copy, page);
    }

    [Fact]
    public void A_page_wholly_after_the_timestamp_holds_nothing_to_keep()
    {
        byte[] page = BusiestPage();

        Assert.Equal(PageTrimmer.Outcome.Empty, PageTrimmer.Trim(page, Layout, bigEndian: false, Timestamps(page)[0] - 1));
    }

    [Fact]
    public void A_time_extend_before_the_first_later_record_is_not_something_to_keep()
    {
        // A real page: a time extend, then the session's end marker. Cutting before the marker leaves no record.
        byte[] page = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/time-extend-then-marker.page"));
        ulong marker = Assert.Single(Timestamps(page));
        Assert.Equal(2630128695253UL, marker);

        Assert.Equal(PageTrimmer.Outcome.Empty, PageTrimmer.Trim(page, Layout, bigEndian: false, marker - 1));
        Assert.Equal(PageTrimmer.Outcome.Kept, PageTrimmer.Trim(page, Layout, bigEndian: false, marker));
    }

    [Fact]
    public void A_page_without_a_data_record_holds_nothing_to_keep()
    {
        // The same page with its data ended after the time extend (commit size 8): no record says where a cut goes,
        // so a walk back from the end passes it.
        byte[] page = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/time-extend-then-marker.page"));
        BitConverter.TryWriteBytes(page.AsSpan(Layout.CommitOffset, 8), 8UL);
        Assert.Empty(Timestamps(page));

        Assert.Equal(PageTrimmer.Outcome.Empty, PageTrimmer.Trim(page, Layout, bigEndian: false, ulong.MaxValue));
    }

    private static byte[] BusiestPage()
    {
        byte[] all = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"));
        return Enumerable.Range(0, all.Length / Layout.PageSize)
            .Select(i => all.AsSpan(i * Layout.PageSize, Layout.PageSize).ToArray())
            .MaxBy(p => Timestamps(p).Count)!;
    }

    private static List<ulong> Timestamps(byte[] page)
    {
        var reader = new PageRecordReader(Layout, bigEndian: false);
        reader.Load(page, 0, 0);
        var stamps = new List<ulong>();
        while (reader.MoveNext())
        {
            stamps.Add(reader.Timestamp);
        }

        return stamps;
    }
}
