using System.Globalization;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Reads a live buffer through its per-CPU trace_pipe_raw files: one thread takes whole ring-buffer pages
/// from every CPU as the merge needs them (one poll waits on all CPUs when they are empty), and the
/// records are merged across CPUs in timestamp order and decoded with the
/// event formats, comms from saved_cmdlines and thread groups from saved_tgids. Lossless where the text
/// path is not (exact nanosecond timestamps, every field as recorded), and lost events come from the
/// pages' own headers, counted from the CPU's overrun counters when a header does not say how many.
/// Reading consumes the events, as trace_pipe does.
/// </summary>
/// <example><code>
/// var reader = new RawTraceReader(session.Buffer, EventFormatCatalog.Load("/sys/kernel/tracing/events"));
/// foreach (object o in reader.Read(token)) { ... } // TraceEvent or TraceLostEvents
/// </code></example>
public sealed class RawTraceReader
{
    private readonly TraceBuffer _buffer;
    private readonly EventFormatCatalog _formats;
    private readonly Action<int, byte[]>? _tee;
    private CpuPipeSet? _pipes;
    private LiveTaskNames? _names;

    /// <param name="formats">The kernel's event formats (every instance shares them).</param>
    /// <param name="tee">Sees every page as it is read (the CPU and the page), on the reading thread, to save the
    /// pages as they are; the array is reused once it returns.</param>
    public RawTraceReader(TraceBuffer buffer, EventFormatCatalog formats, Action<int, byte[]>? tee = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(formats);
        _buffer = buffer;
        _formats = formats;
        _tee = tee;
        Cpus = CpusOf(buffer);
        Layout = LayoutOf(buffer);
    }

    /// <summary>The CPUs whose buffers are read.</summary>
    public IReadOnlyList<int> Cpus { get; }

    /// <summary>The ring-buffer page layout, with this buffer's page (sub-buffer) size.</summary>
    public RingBufferLayout Layout { get; }

    /// <summary>Pages read so far, over all CPUs.</summary>
    public long PagesRead => _pipes?.PagesRead ?? 0;

    /// <summary>
    /// How often a reader waited for the merge: always 0 now that the merge reads the pages itself, as it
    /// needs them (the kernel's buffer holds what it has not read yet).
    /// </summary>
    public long ReaderWaits => 0;

    /// <summary>How often saved_cmdlines was read.</summary>
    public int CommandCacheReads => _names?.Reads ?? 0;

    /// <summary>Whether this buffer has per-CPU trace_pipe_raw files (a kernel without them is read as text).</summary>
    public static bool IsAvailable(TraceBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        IReadOnlyList<int> cpus = CpusOf(buffer);
        return cpus.Count > 0 && File.Exists(CpuPipe.PathOf(buffer, cpus[0])) && File.Exists(buffer.PathOf(Path.Combine("events", "header_page")));
    }

    /// <summary>The CPUs that have a per_cpu/cpuN directory, in order.</summary>
    public static IReadOnlyList<int> CpusOf(TraceBuffer buffer) => buffer.Cpus();

    /// <summary>
    /// Reads until <paramref name="cancel"/> fires: <see cref="TraceEvent"/> and <see cref="TraceLostEvents"/>
    /// objects in time order. The pipes are open only while the enumeration runs.
    /// </summary>
    /// <exception cref="TraceException">A trace_pipe_raw file cannot be opened.</exception>
    /// <exception cref="IOException">A read failed while tracing.</exception>
    public IEnumerable<object> Read(CancellationToken cancel)
    {
        _names = LiveTaskNames.ForTracefs(_buffer.TracefsRoot);
        using var pipes = new CpuPipeSet(_buffer, Cpus, Layout.PageSize, _tee);
        _pipes = pipes;
        using var merge = new CpuMerge(pipes.Pipes, Layout, _formats, _names, pipes) { Losses = CpuLossCounter.ForBuffer(_buffer, Cpus) };
        foreach (object record in merge.Read(cancel))
        {
            yield return record;
        }
    }

    private static RingBufferLayout LayoutOf(TraceBuffer buffer)
    {
        string own = buffer.PathOf(Path.Combine("events", "header_page"));
        string path = File.Exists(own) ? own : Path.Combine(buffer.TracefsRoot, "events", "header_page");
        RingBufferLayout layout;
        try
        {
            layout = RingBufferLayout.Parse(ControlFile.Read(path));
        }
        catch (FormatException e)
        {
            throw new TraceException(TraceErrorKind.NotSupported, "HeaderPageUnreadable", $"{path} does not describe a ring-buffer page: {e.Message}", "Read the buffer as text (-TextPath).", path, e);
        }

        // buffer_subbuf_size_kb (6.8 and later) sets the page size per buffer; header_page shows the default.
        string subbuf = buffer.PathOf("buffer_subbuf_size_kb");
        if (File.Exists(subbuf) && int.TryParse(ControlFile.Read(subbuf).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int kb) && kb > 0)
        {
            layout = layout.WithPageSize(kb * 1024);
        }

        return layout;
    }
}
