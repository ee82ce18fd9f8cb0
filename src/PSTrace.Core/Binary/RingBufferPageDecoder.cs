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

    /// <param name="layout">From events/header_page (<see cref="RingBufferLayout.Parse"/>), with the sub-buffer size.</param>
    /// <param name="events">The formats of the events the pages may hold.</param>
    /// <param name="tasks">pid -> comm and tgid; <see cref="TaskNames.Empty"/> when unknown.</param>
    /// <param name="bigEndian">The traced machine's byte order.</param>
    public RingBufferPageDecoder(RingBufferLayout layout, EventFormatCatalog events, TaskNames? tasks = null, bool bigEndian = false)
    {
        _layout = layout;
        _big = bigEndian;
        _decoder = new TraceEventDecoder(events, tasks ?? TaskNames.Empty, bigEndian);
    }

    public RingBufferLayout Layout => _layout;

    /// <summary>Where comms come from; replace it when saved_cmdlines has been read again.</summary>
    public TaskNames Tasks
    {
        get => _decoder.Tasks;
        set => _decoder.Tasks = value;
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
