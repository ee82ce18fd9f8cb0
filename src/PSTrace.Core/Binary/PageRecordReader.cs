namespace PSTrace.Core.Binary;

/// <summary>
/// Walks the records of one ring-buffer page: reads the page header (timestamp, commit word with
/// the missed-events bits), then each record's header (type_len, time_delta), following time
/// extends, absolute timestamps and padding, and stops on every data record.
/// Every length is checked against the page, so corrupt input ends in a <see cref="TraceDataException"/>.
/// </summary>
/// <remarks>The record format is the kernel's (include/linux/ring_buffer.h, kernel/trace/ring_buffer.c);
/// timestamps are summed the way libtraceevent's kbuffer does, so they match trace-cmd exactly.</remarks>
internal sealed class PageRecordReader
{
    private const int TypePadding = 29;
    private const int TypeTimeExtend = 30;
    private const int TypeTimeStamp = 31;
    private const int TimeShift = 27;
    private const uint DeltaMask = (1u << TimeShift) - 1;
    private const ulong CommitMask = (1UL << 27) - 1;
    private const ulong MissedEventsFlag = 1UL << 31;
    private const ulong MissedCountStoredFlag = 1UL << 30;

    /// <summary>An absolute timestamp record lacks the top 5 bits; they come from the running timestamp.</summary>
    private const ulong TimestampHighBits = 0xf8UL << 56;

    private readonly RingBufferLayout _layout;
    private readonly bool _big;
    private byte[] _page = [];
    private int _pageStart;
    private int _dataEnd;
    private int _position;
    private long _origin;

    public PageRecordReader(RingBufferLayout layout, bool bigEndian)
    {
        _layout = layout;
        _big = bigEndian;
    }

    /// <summary>The page header's timestamp.</summary>
    public ulong PageTimestamp { get; private set; }

    /// <summary>Bytes of data the page holds (the commit word without its flag bits).</summary>
    public int DataSize { get; private set; }

    /// <summary>The kernel dropped events before this page.</summary>
    public bool HasMissedEvents { get; private set; }

    /// <summary>How many, when the kernel had room to store the count after the data.</summary>
    public long? MissedCount { get; private set; }

    /// <summary>
    /// The page's header is all zero (no timestamp, no data, no note): no page the kernel hands out
    /// looks like that, so it is a page overwritten with zeros.
    /// </summary>
    public bool IsBlank => PageTimestamp == 0 && DataSize == 0 && !HasMissedEvents;

    /// <summary>Timestamp of the current record; after the last one, the page's running time (later time extends counted).</summary>
    public ulong Timestamp { get; private set; }

    /// <summary>The walk ended on padding that fills the rest of the page: whatever came after it is not read.</summary>
    public bool EndedOnPadding { get; private set; }

    /// <summary>Where the current record's payload starts in the buffer passed to <see cref="Load"/>.</summary>
    public int RecordStart { get; private set; }

    public int RecordLength { get; private set; }

    /// <summary>Where the current record's header starts in the buffer passed to <see cref="Load"/>: cutting the page there keeps every record before it.</summary>
    public int RecordHeaderStart { get; private set; }

    /// <summary>The offset, in the caller's terms (file or stream), of the current record's payload.</summary>
    public long RecordOrigin => _origin + (RecordStart - _pageStart);

    /// <summary>Starts on the page at buffer[start..start+PageSize). <paramref name="origin"/> names the page's offset in error messages.</summary>
    public void Load(byte[] buffer, int start, long origin)
    {
        if (start < 0 || buffer.Length - start < _layout.PageSize)
        {
            throw new TraceDataException($"A ring-buffer page needs {_layout.PageSize} bytes, {Math.Max(0, buffer.Length - start)} are left", origin);
        }

        _page = buffer;
        _pageStart = start;
        _origin = origin;
        ReadOnlySpan<byte> page = buffer.AsSpan(start, _layout.PageSize);
        PageTimestamp = Endian.U64(page[_layout.TimestampOffset..], _big);
        ulong commit = Endian.Unsigned(page[_layout.CommitOffset..], _layout.CommitSize, _big);
        ulong size = commit & CommitMask;
        if (size > (ulong)_layout.DataCapacity)
        {
            throw new TraceDataException($"Ring-buffer page claims {size} bytes of data; a page holds at most {_layout.DataCapacity}", origin + _layout.CommitOffset);
        }

        DataSize = (int)size;
        HasMissedEvents = (commit & MissedEventsFlag) != 0;
        MissedCount = null;
        if (HasMissedEvents && (commit & MissedCountStoredFlag) != 0 && DataSize + _layout.CommitSize <= _layout.DataCapacity)
        {
            MissedCount = (long)Endian.Unsigned(page[(_layout.DataOffset + DataSize)..], _layout.CommitSize, _big);
        }

        _position = start + _layout.DataOffset;
        _dataEnd = _position + DataSize;
        Timestamp = PageTimestamp;
        EndedOnPadding = false;
        RecordStart = _position;
        RecordLength = 0;
    }

    /// <summary>Moves to the next data record; false at the end of the page's data.</summary>
    public bool MoveNext()
    {
        while (_position < _dataEnd)
        {
            int header = _position;
            uint word = Endian.U32(Need(header, 4, "record header"), _big);
            int typeLen = (int)(_big ? word >> 27 : word & 31);
            uint delta = _big ? word & DeltaMask : word >> 5;
            switch (typeLen)
            {
                case TypePadding:
                    if (delta == 0)
                    {
                        // Padding to the end of the page: nothing more to read.
                        _position = _dataEnd;
                        EndedOnPadding = true;
                        return false;
                    }

                    // A discarded event: its length follows the header.
                    uint skip = Endian.U32(Need(header + 4, 4, "discarded record length"), _big);
                    Timestamp += delta;
                    _position = Advance(header + 4, skip, "discarded record");
                    continue;

                case TypeTimeExtend:
                    ulong extend = Endian.U32(Need(header + 4, 4, "time extend"), _big);
                    Timestamp += (extend << TimeShift) + delta;
                    _position = header + 8;
                    continue;

                case TypeTimeStamp:
                    ulong absolute = Endian.U32(Need(header + 4, 4, "absolute timestamp"), _big);
                    Timestamp = ((absolute << TimeShift) + delta) | (Timestamp & TimestampHighBits);
                    _position = header + 8;
                    continue;

                case 0:
                    // A long record: the length (counting itself) is the next word.
                    uint length = Endian.U32(Need(header + 4, 4, "record length"), _big);
                    if (length < 4)
                    {
                        throw Corrupt($"Record length {length} is shorter than its own length word", header + 4);
                    }

                    uint dataLength = (length - 4 + 3) & ~3u;
                    RecordHeaderStart = header;
                    RecordStart = header + 8;
                    _position = Advance(RecordStart, dataLength, "record");
                    break;

                default:
                    RecordHeaderStart = header;
                    RecordStart = header + 4;
                    _position = Advance(RecordStart, (uint)typeLen * 4, "record");
                    break;
            }

            Timestamp += delta;
            RecordLength = _position - RecordStart;
            return true;
        }

        return false;
    }

    private ReadOnlySpan<byte> Need(int at, int count, string what)
    {
        if (at + count > _dataEnd)
        {
            throw Corrupt($"The page's data ends inside a {what}", at);
        }

        return _page.AsSpan(at, count);
    }

    private int Advance(int from, uint count, string what)
    {
        if (count > (uint)(_dataEnd - from))
        {
            throw Corrupt($"A {what} of {count} bytes runs past the page's {DataSize} bytes of data", from);
        }

        return from + (int)count;
    }

    private TraceDataException Corrupt(string message, int at) => new(message, _origin + (at - _pageStart));
}
