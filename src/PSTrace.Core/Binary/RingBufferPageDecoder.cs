using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Core.Binary;

/// <summary>
/// Decodes ring-buffer pages as per_cpu/cpuN/trace_pipe_raw gives them (and as trace.dat stores them)
/// into <see cref="TraceEvent"/> objects, with a <see cref="TraceLostEvents"/> before the first event
/// of a page whose header says events were dropped. One decoder per reading thread: it reuses buffers.
/// </summary>
public sealed class RingBufferPageDecoder
{
    private readonly RingBufferLayout _layout;
    private readonly bool _big;
    private readonly TraceEventDecoder _decoder;
    private readonly PageRecordReader _reader;
    private readonly byte[] _page;

    /// <param name="layout">From events/header_page (<see cref="RingBufferLayout.Parse"/>), with the sub-buffer size.</param>
    /// <param name="events">The formats of the events the pages may hold.</param>
    /// <param name="tasks">pid -> comm and tgid; <see cref="TaskNames.Empty"/> when unknown.</param>
    /// <param name="bigEndian">The traced machine's byte order.</param>
    public RingBufferPageDecoder(RingBufferLayout layout, EventFormatCatalog events, TaskNames? tasks = null, bool bigEndian = false)
    {
        _layout = layout;
        _big = bigEndian;
        _decoder = new TraceEventDecoder(events, tasks ?? TaskNames.Empty, bigEndian);
        _reader = new PageRecordReader(layout, bigEndian);
        _page = new byte[layout.PageSize];
    }

    public RingBufferLayout Layout => _layout;

    /// <summary>Where comms come from; replace it when saved_cmdlines has been read again.</summary>
    public TaskNames Tasks
    {
        get => _decoder.Tasks;
        set => _decoder.Tasks = value;
    }

    /// <summary>Decodes one page and adds its objects to <paramref name="output"/> in order.</summary>
    /// <param name="page">Exactly one page (Layout.PageSize bytes).</param>
    /// <param name="origin">The page's offset in its stream, used in error messages.</param>
    /// <returns>The number of objects added.</returns>
    /// <exception cref="TraceDataException">The page is truncated or corrupt.</exception>
    public int DecodePage(ReadOnlySpan<byte> page, int cpu, ICollection<object> output, long origin = 0)
    {
        if (page.Length != _layout.PageSize)
        {
            throw new TraceDataException($"A page has {_layout.PageSize} bytes, not {page.Length}", origin);
        }

        page.CopyTo(_page);
        _reader.Load(_page, 0, origin);
        int added = 0;
        bool lost = _reader.HasMissedEvents;
        while (_reader.MoveNext())
        {
            if (lost)
            {
                output.Add(new TraceLostEvents(cpu, _reader.MissedCount, _reader.Timestamp));
                added++;
                lost = false;
            }

            output.Add(_decoder.Decode(_page.AsSpan(_reader.RecordStart, _reader.RecordLength), cpu, _reader.Timestamp, _reader.RecordOrigin));
            added++;
        }

        if (lost)
        {
            output.Add(new TraceLostEvents(cpu, _reader.MissedCount, _reader.PageTimestamp));
            added++;
        }

        return added;
    }

    /// <summary>
    /// Reads whole pages from a stream until it ends (a saved trace_pipe_raw, or the pipe itself)
    /// and yields their objects: <see cref="TraceEvent"/> and <see cref="TraceLostEvents"/>.
    /// </summary>
    public IEnumerable<object> ReadPages(Stream pages, int cpu)
    {
        using var stream = new CpuRecordStream(new StreamPageSource(pages, _layout.PageSize), _layout, _big, cpu);
        while (stream.MoveNext())
        {
            if (stream.LostBefore)
            {
                yield return stream.Lost();
            }

            yield return stream.Decode(_decoder);
        }
    }
}
