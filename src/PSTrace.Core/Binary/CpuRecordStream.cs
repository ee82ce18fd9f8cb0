using PSTrace.Core.Records;

namespace PSTrace.Core.Binary;

/// <summary>
/// The records of one CPU's pages in order, with their timestamps, so that several CPUs can be
/// merged by time. Decodes a record only when asked. A page's missed-events note is attached to
/// its first record (or, for a page without records, to the next record there is).
/// </summary>
/// <remarks>
/// With <see cref="Damaged"/> set (saved files), a page that cannot be decoded is reported to it and
/// skipped, and the gap is noted like the kernel's own (without a count): the records of the pages
/// after it are still read. Without it, the page's <see cref="TraceDataException"/> ends the read.
/// </remarks>
internal sealed class CpuRecordStream : IDisposable
{
    private readonly PageSource _pages;
    private readonly PageRecordReader _reader;
    private readonly int _cpu;
    private bool _pageLoaded;
    private bool _hasLost;
    private long? _lostCount;
    private byte[] _buffer = [];
    private long _pageOrigin;

    public CpuRecordStream(PageSource pages, RingBufferLayout layout, bool bigEndian, int cpu, long timestampOffset = 0, TimestampScale? scale = null)
    {
        _pages = pages;
        _reader = new PageRecordReader(layout.WithPageSize(pages.PageSize), bigEndian);
        _cpu = cpu;
        TimestampOffset = timestampOffset;
        Scale = scale;
    }

    public int Cpu => _cpu;

    /// <summary>Nanoseconds added to every timestamp (trace.dat's DATE and OFFSET options).</summary>
    public long TimestampOffset { get; }

    /// <summary>A TSC-to-nanoseconds conversion (trace.dat's TSC2NSEC option), when the clock counts cycles.</summary>
    public TimestampScale? Scale { get; }

    /// <summary>The current record's timestamp, corrected.</summary>
    public ulong Timestamp { get; private set; }

    /// <summary>Events were lost just before the current record.</summary>
    public bool LostBefore { get; private set; }

    /// <summary>How many, when the kernel said.</summary>
    public long? LostCount { get; private set; }

    /// <summary>Sees each page that cannot be decoded (this CPU, the page's offset, why), which is then skipped; null to fail on it.</summary>
    public Action<int, long, TraceDataException>? Damaged { get; init; }

    /// <summary>The stream ended after a gap no record followed (damaged last pages): <see cref="Lost"/> marks it.</summary>
    public bool LostAtEnd => _hasLost;

    public bool MoveNext()
    {
        while (!_pageLoaded || !NextInPage())
        {
            _pageLoaded = false;
            if (!_pages.Next(out byte[] buffer, out int start, out long origin))
            {
                return false;
            }

            _buffer = buffer;
            _pageOrigin = origin;
            try
            {
                _reader.Load(buffer, start, origin);
                if (Damaged is not null && _reader.IsBlank)
                {
                    throw new TraceDataException("The page is blank (its header has no timestamp and no data)", origin);
                }
            }
            catch (TraceDataException e) when (Damaged is not null)
            {
                NoteDamage(e);
                continue;
            }

            _pageLoaded = true;
            if (_reader.HasMissedEvents)
            {
                // A page without records passes its note on; two notes add up when both have counts.
                _lostCount = !_hasLost ? _reader.MissedCount
                    : _lostCount is long a && _reader.MissedCount is long b ? a + b
                    : null;
                _hasLost = true;
            }
        }

        LostBefore = _hasLost;
        LostCount = _lostCount;
        _hasLost = false;
        _lostCount = null;
        ulong ts = _reader.Timestamp;
        if (Scale is { } s)
        {
            ts = s.ToNanoseconds(ts);
        }

        Timestamp = unchecked(ts + (ulong)TimestampOffset);
        return true;
    }

    private bool NextInPage()
    {
        try
        {
            return _reader.MoveNext();
        }
        catch (TraceDataException e) when (Damaged is not null)
        {
            // The records before the damage were read; the rest of the page is lost.
            NoteDamage(e);
            return false;
        }
    }

    private void NoteDamage(TraceDataException e)
    {
        Damaged!(_cpu, _pageOrigin, e);
        _hasLost = true;
        _lostCount = null;
    }

    /// <summary>The current record's payload (valid until the next MoveNext).</summary>
    public ReadOnlySpan<byte> CurrentRecord => _buffer.AsSpan(_reader.RecordStart, _reader.RecordLength);

    public TraceLostEvents Lost() => new(_cpu, LostCount, Timestamp);

    /// <summary>The gap after the last record (see <see cref="LostAtEnd"/>), at that record's time; once.</summary>
    public TraceLostEvents LostAfterEnd()
    {
        _hasLost = false;
        return new(_cpu, null, Timestamp);
    }

    public TraceEvent Decode(TraceEventDecoder decoder) =>
        decoder.Decode(_buffer.AsSpan(_reader.RecordStart, _reader.RecordLength), _cpu, Timestamp, _reader.RecordOrigin);

    public void Dispose() => _pages.Dispose();
}

/// <summary>Cycles to nanoseconds: (cycles * Multiplier) >> Shift, computed as trace-cmd does.</summary>
internal sealed record TimestampScale(uint Multiplier, int Shift)
{
    public ulong ToNanoseconds(ulong cycles)
    {
        ulong low = (uint)cycles, high = cycles >> 32;
        ulong result = (low * Multiplier) >> Shift;
        if (high != 0)
        {
            result += (high * Multiplier) << (32 - Shift);
        }

        return result;
    }
}
