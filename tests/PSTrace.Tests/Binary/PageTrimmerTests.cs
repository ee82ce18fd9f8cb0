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
