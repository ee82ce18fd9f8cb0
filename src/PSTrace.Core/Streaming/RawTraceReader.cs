using System.Globalization;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Reads a live buffer through its per-CPU trace_pipe_raw files: one reader thread per CPU takes whole
/// ring-buffer pages ahead of the merge (so a pipeline that stalls has user-space room as well as the
/// kernel's buffer), and the records are merged across CPUs in timestamp order and decoded with the
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
    // Pages read ahead per CPU: room for a pipeline stall on top of the kernel's buffer.
    private const int PagesPerCpu = 256;

    private readonly List<CpuPipeReader> _readers = new();
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
    public long PagesRead => _readers.Sum(r => r.PagesRead);

    /// <summary>How often a CPU's reader found its queue full and waited for the merge (the kernel's buffer held the rest meanwhile).</summary>
    public long ReaderWaits => _readers.Sum(r => r.Waits);

    /// <summary>How often saved_cmdlines was read.</summary>
    public int CommandCacheReads => _names?.Reads ?? 0;

    /// <summary>Whether this buffer has per-CPU trace_pipe_raw files (a kernel without them is read as text).</summary>
    public static bool IsAvailable(TraceBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        IReadOnlyList<int> cpus = CpusOf(buffer);
        return cpus.Count > 0 && File.Exists(CpuPipeReader.PathOf(buffer, cpus[0])) && File.Exists(buffer.PathOf(Path.Combine("events", "header_page")));
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
        _readers.Clear();
        using var signal = new ManualResetEventSlim(false);
        try
        {
            foreach (int cpu in Cpus)
            {
                _readers.Add(new CpuPipeReader(_buffer, cpu, Layout.PageSize, PagesPerCpu, signal.Set, _tee));
            }

            foreach (CpuPipeReader r in _readers)
            {
                r.Start();
            }

            using var merge = new CpuMerge(_readers, Layout, _formats, _names, signal) { Losses = CpuLossCounter.ForBuffer(_buffer, Cpus) };
            foreach (object record in merge.Read(cancel))
            {
                yield return record;
            }
        }
        finally
        {
            foreach (CpuPipeReader r in _readers)
            {
                r.Dispose();
            }
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
