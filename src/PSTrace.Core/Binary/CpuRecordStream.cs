using PSTrace.Core.Records;

namespace PSTrace.Core.Binary;

/// <summary>
/// The records of one CPU's pages in order, with their timestamps, so that several CPUs can be
/// merged by time. Decodes a record only when asked. A page's missed-events note is attached to
/// its first record (or, for a page without records, to the next record there is).
/// </summary>
internal sealed class CpuRecordStream : IDisposable
{
    private readonly PageSource _pages;
    private readonly PageRecordReader _reader;
    private readonly int _cpu;
    private bool _pageLoaded;
    private bool _hasLost;
    private long? _lostCount;
    private byte[] _buffer = [];

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

    public bool MoveNext()
    {
        while (!_pageLoaded || !_reader.MoveNext())
        {
            if (!_pages.Next(out byte[] buffer, out int start, out long origin))
            {
                return false;
            }

            _buffer = buffer;
            _reader.Load(buffer, start, origin);
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

    /// <summary>The current record's payload (valid until the next MoveNext).</summary>
    public ReadOnlySpan<byte> CurrentRecord => _buffer.AsSpan(_reader.RecordStart, _reader.RecordLength);

    public TraceLostEvents Lost() => new(_cpu, LostCount, Timestamp);

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
