using PSTrace.Core.Binary;

namespace PSTrace.Tests.Binary;

/// <summary>
/// Packing the partly filled pages of a capture, over real trace_pipe_raw pages (6.18/pages/cpu0.raw) cut
/// short by <see cref="PageTrimmer"/> as a reader that keeps up gets them: the packed page holds the same
/// records with the same timestamps, full pages pass unchanged, and a page noting lost events keeps its note.
/// </summary>
public sealed class PagePackerTests
{
    private static readonly RingBufferLayout Layout = RingBufferLayout.Default64();

    [Fact]
    public void Partly_filled_pages_become_one_page_with_the_same_records_and_times()
    {
        List<byte[]> pages = PartlyFilled(3, recordsEach: 3);
        List<(ulong Time, byte[] Payload)> expected = pages.SelectMany(Records).ToList();

        List<byte[]> packed = Pack(pages);

        byte[] only = Assert.Single(packed);
        Assert.Equal(expected.Select(r => r.Time), Records(only).Select(r => r.Time));
        Assert.Equal(expected.Select(r => r.Payload), Records(only).Select(r => r.Payload));
    }

    [Fact]
    public void Pages_more_than_half_full_are_written_as_they_came()
    {
        List<byte[]> full = WholePages().Where(p => DataSize(p) > Layout.DataCapacity / 2).Take(3).ToList();
        Assert.Equal(3, full.Count);

        List<byte[]> packed = Pack(full);

        Assert.Equal(full, packed);
    }

    [Fact]
    public void A_page_that_notes_lost_events_starts_a_page_of_its_own_and_keeps_the_note()
    {
        List<byte[]> pages = PartlyFilled(2, recordsEach: 2);
        // The kernel sets bit 31 of the commit word on the first page it hands out after dropping events.
        pages[1][Layout.CommitOffset + 3] |= 0x80;

        List<byte[]> packed = Pack(pages);

        Assert.Equal(2, packed.Count);
        var reader = new PageRecordReader(Layout, bigEndian: false);
        reader.Load(packed[1], 0, 0);
        Assert.True(reader.HasMissedEvents);
        Assert.Equal(pages.SelectMany(Records).Select(r => r.Time), packed.SelectMany(Records).Select(r => r.Time));
    }

    [Fact]
    public void A_page_without_records_or_a_note_is_left_out()
    {
        byte[] empty = PartlyFilled(1, recordsEach: 1)[0];
        Array.Clear(empty, Layout.CommitOffset, Layout.CommitSize);
        List<byte[]> pages = [.. PartlyFilled(1, recordsEach: 2), empty];

        List<byte[]> packed = Pack(pages);

        Assert.Equal(Records(pages[0]).Select(r => r.Time), Records(Assert.Single(packed)).Select(r => r.Time));
    }

    private static List<byte[]> Pack(IEnumerable<byte[]> pages)
    {
        var written = new List<byte[]>();
        var packer = new PagePacker(Layout, p => written.Add((byte[])p.Clone()));
        foreach (byte[] page in pages)
        {
            packer.Add((byte[])page.Clone());
        }

        packer.Flush();
        return written;
    }

    /// <summary>Consecutive real pages, each cut after its first few records.</summary>
    private static List<byte[]> PartlyFilled(int count, int recordsEach) =>
        WholePages().Where(p => Records(p).Count > recordsEach).Take(count).Select(p =>
        {
            ulong keep = Records(p)[recordsEach - 1].Time;
            Assert.Equal(PageTrimmer.Outcome.Cut, PageTrimmer.Trim(p, Layout, bigEndian: false, keep));
            return p;
        }).ToList();

    private static IEnumerable<byte[]> WholePages()
    {
        byte[] all = File.ReadAllBytes(Fixtures.PathOf("6.18/pages/cpu0.raw"));
        return Enumerable.Range(0, all.Length / Layout.PageSize).Select(i => all.AsSpan(i * Layout.PageSize, Layout.PageSize).ToArray());
    }

    private static int DataSize(byte[] page)
    {
        var reader = new PageRecordReader(Layout, bigEndian: false);
        reader.Load(page, 0, 0);
        return reader.DataSize;
    }

    private static List<(ulong Time, byte[] Payload)> Records(byte[] page)
    {
        var reader = new PageRecordReader(Layout, bigEndian: false);
        reader.Load(page, 0, 0);
        var records = new List<(ulong, byte[])>();
        while (reader.MoveNext())
        {
            records.Add((reader.Timestamp, page.AsSpan(reader.RecordStart, reader.RecordLength).ToArray()));
        }

        return records;
    }
}
