namespace PSTrace.Core.Binary;

/// <summary>
/// Cuts a captured ring-buffer page after its last record at or before a timestamp, by lowering the
/// page's commit size: a capture then holds what a session delivered and not the pages its readers took
/// past the end (the end marker, heartbeats, events after a stop). Records are never moved or changed.
/// </summary>
internal static class PageTrimmer
{
    private const ulong CommitMask = (1UL << 27) - 1;
    private const ulong MissedCountStoredFlag = 1UL << 30;

    /// <summary>What became of a page.</summary>
    public enum Outcome
    {
        /// <summary>Every record is at or before the timestamp.</summary>
        Kept,

        /// <summary>Records after the timestamp were cut off; the page is changed in place.</summary>
        Cut,

        /// <summary>The first record is already after the timestamp, or the page has no record: it holds nothing to keep.</summary>
        Empty,
    }

    /// <summary>Cuts <paramref name="page"/> (one whole page) before its first record later than <paramref name="keepThrough"/>.</summary>
    /// <remarks>A page that cannot be walked is kept as it is: reading it back reports it as damaged, as it would have been.</remarks>
    public static Outcome Trim(byte[] page, RingBufferLayout layout, bool bigEndian, ulong keepThrough)
    {
        var reader = new PageRecordReader(layout, bigEndian);
        try
        {
            reader.Load(page, 0, 0);
            if (!reader.MoveNext())
            {
                // No data record, only a time extend or discarded records (the kernel hands such pages on): nothing to
                // keep, and nothing that says where the cut goes, so the walk goes on to the page before.
                return Outcome.Empty;
            }

            bool first = true;
            do
            {
                if (reader.Timestamp > keepThrough)
                {
                    // Before the first data record there may be a time extend: with no record kept, the page is empty.
                    if (first)
                    {
                        return Outcome.Empty;
                    }

                    int kept = reader.RecordHeaderStart - layout.DataOffset;

                    SetDataSize(page, layout, bigEndian, kept, reader.MissedCount);
                    return Outcome.Cut;
                }

                first = false;
            }
            while (reader.MoveNext());
        }
        catch (TraceDataException)
        {
            // Damaged: left for the reader to report.
        }

        return Outcome.Kept;
    }

    /// <summary>Writes the new data size into the commit word, keeping its flag bits, and moves a stored lost-event count behind the new end.</summary>
    private static void SetDataSize(byte[] page, RingBufferLayout layout, bool bigEndian, int size, long? missedCount)
    {
        Span<byte> commit = page.AsSpan(layout.CommitOffset, layout.CommitSize);
        ulong word = Endian.Unsigned(commit, layout.CommitSize, bigEndian);
        bool countFits = missedCount is not null && size + layout.CommitSize <= layout.DataCapacity;
        ulong flags = word & ~CommitMask;
        if (!countFits)
        {
            flags &= ~MissedCountStoredFlag;
        }

        WriteUnsigned(commit, layout.CommitSize, bigEndian, flags | (uint)size);
        if (countFits)
        {
            WriteUnsigned(page.AsSpan(layout.DataOffset + size, layout.CommitSize), layout.CommitSize, bigEndian, (ulong)missedCount!.Value);
        }
    }

    private static void WriteUnsigned(Span<byte> to, int size, bool bigEndian, ulong value)
    {
        for (int i = 0; i < size; i++)
        {
            int shift = 8 * (bigEndian ? size - 1 - i : i);
            to[i] = (byte)(value >> shift);
        }
    }
}
