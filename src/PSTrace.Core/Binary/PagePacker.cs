namespace PSTrace.Core.Binary;

/// <summary>
/// Packs the pages of one CPU for a saved trace. A live reader that has caught up with the kernel gets
/// pages holding only the few records written since its last read, so a quiet capture would be mostly
/// empty page space (about 3 records a page were measured). A page is appended to the one held here
/// when its records fit: a time extend first carries the running timestamp from the held page's last
/// record to the appended page's own timestamp, so every record keeps its exact time and the result is
/// an ordinary ring-buffer page that trace-cmd and this module's reader read alike.
/// </summary>
/// <remarks>
/// A page is never merged into when it ends on padding to the end of the page (a reader stops there), and
/// a page that notes missed events starts a page of its own, whose header keeps the note (and the count
/// after its data). A page that cannot be walked is written as it came, so the reader reports it.
/// </remarks>
internal sealed class PagePacker
{
    private const uint TimeExtendType = 30;
    private const int TimeShift = 27;
    private const int TimeExtendLength = 8;
    private const ulong MaxExtend = (1UL << 59) - 1;

    private readonly RingBufferLayout _layout;
    private readonly Action<byte[]> _write;
    private readonly PageRecordReader _reader;
    private readonly byte[] _held;
    private bool _holding;
    private bool _closed;
    private int _heldData;
    private ulong _heldEnd;

    /// <param name="write">Takes each finished page; the array is reused once it returns.</param>
    public PagePacker(RingBufferLayout layout, Action<byte[]> write)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(write);
        _layout = layout;
        _write = write;
        _reader = new PageRecordReader(layout, bigEndian: false);
        _held = new byte[layout.PageSize];
    }

    /// <summary>Whether pages of this host can be packed: the time extend is written in the host's order, which only little-endian is tested in.</summary>
    public static bool Supported => BitConverter.IsLittleEndian;

    /// <summary>Adds one page as trace_pipe_raw gave it (little-endian, this packer's page size).</summary>
    public void Add(byte[] page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Length != _layout.PageSize)
        {
            throw new ArgumentException($"A page of {page.Length} bytes, not {_layout.PageSize}.", nameof(page));
        }

        if (!TryWalk(page, out ulong end, out bool endsOnPadding))
        {
            Flush();
            _write(page);
            return;
        }

        if (_reader.DataSize == 0 && !_reader.HasMissedEvents)
        {
            return; // no record and no note: nothing a reader would see
        }

        if (CanAppend())
        {
            Append(page, end, endsOnPadding);
            return;
        }

        Flush();
        page.CopyTo(_held, 0);
        _holding = true;
        _heldData = _reader.DataSize;
        _heldEnd = end;
        _closed = endsOnPadding || _reader.HasMissedEvents;
    }

    /// <summary>Writes the page held, if any.</summary>
    public void Flush()
    {
        if (_holding)
        {
            _write(_held);
            _holding = false;
        }
    }

    private bool TryWalk(byte[] page, out ulong end, out bool endsOnPadding)
    {
        try
        {
            _reader.Load(page, 0, 0);
            while (_reader.MoveNext())
            {
            }

            end = _reader.Timestamp;
            endsOnPadding = _reader.EndedOnPadding;
            return true;
        }
        catch (TraceDataException)
        {
            end = 0;
            endsOnPadding = false;
            return false;
        }
    }

    private bool CanAppend() =>
        _holding && !_closed && !_reader.HasMissedEvents
        && _heldData + TimeExtendLength + _reader.DataSize <= _layout.DataCapacity
        && _reader.PageTimestamp >= _heldEnd && _reader.PageTimestamp - _heldEnd <= MaxExtend;

    private void Append(byte[] page, ulong end, bool endsOnPadding)
    {
        ulong delta = _reader.PageTimestamp - _heldEnd;
        Span<byte> at = _held.AsSpan(_layout.DataOffset + _heldData);
        BitConverter.TryWriteBytes(at, (uint)((delta & ((1UL << TimeShift) - 1)) << 5) | TimeExtendType);
        BitConverter.TryWriteBytes(at[4..], (uint)(delta >> TimeShift));
        page.AsSpan(_layout.DataOffset, _reader.DataSize).CopyTo(at[TimeExtendLength..]);
        _heldData += TimeExtendLength + _reader.DataSize;
        Span<byte> commit = _held.AsSpan(_layout.CommitOffset, _layout.CommitSize);
        commit.Clear();
        BitConverter.TryWriteBytes(commit, (uint)_heldData);
        _heldEnd = end;
        _closed = endsOnPadding;
    }
}
