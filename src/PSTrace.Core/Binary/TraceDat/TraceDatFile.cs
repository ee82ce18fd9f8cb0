using System.Globalization;
using Microsoft.Win32.SafeHandles;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// A trace-cmd trace.dat file (version 6 or 7, uncompressed or compressed with zstd or zlib):
/// its metadata on open, its events on demand, merged across CPUs (and buffers) in time order.
/// </summary>
/// <example><code>
/// using var dat = TraceDatFile.Open("trace.dat");
/// foreach (object o in dat.ReadEvents()) { ... } // TraceEvent or TraceLostEvents
/// </code></example>
public sealed class TraceDatFile : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly TraceDatMetadata _meta;
    private readonly Lazy<KernelSymbols> _kallsyms;
    private readonly Lazy<IReadOnlyDictionary<ulong, string>> _printk;

    private TraceDatFile(string path, SafeFileHandle file, long length, TraceDatMetadata meta)
    {
        Path = path;
        _file = file;
        _length = length;
        _meta = meta;
        Layout = ReadLayout(meta);
        Events = EventFormatCatalog.FromFormats(meta.Formats, meta.FormatFailures);
        Tasks = TaskNames.Parse(meta.Cmdlines, meta.SavedTgids);
        CpuStats = TraceDatCpuStats.FromOptions(meta.CpuStats);
        _kallsyms = new Lazy<KernelSymbols>(() => KernelSymbols.Parse(meta.Kallsyms()));
        _printk = new Lazy<IReadOnlyDictionary<ulong, string>>(() => ParsePrintk(meta.Printk));
    }

    /// <summary>Opens a file and reads its metadata.</summary>
    /// <exception cref="TraceDataException">Not a trace.dat file, or truncated or corrupt metadata.</exception>
    /// <exception cref="Tracefs.TraceException">Not a regular file (a directory, a device, a pipe): a trace.dat is read at offsets.</exception>
    public static TraceDatFile Open(string path)
    {
        Text.SavedFileCheck.Check(path, allowFifo: false);
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(file);
            var meta = new TraceDatMetadata();
            var c = new FileCursor(file, length);
            TraceDatHeader.Read(c, meta);
            if (meta.Version >= 7)
            {
                meta.Compression = c.CString("the compression name", 64);
                meta.CompressionVersion = c.CString("the compression version", 64);
                using Decompressor? d = Decompressor.For(meta.Compression, c.Position);
                TraceDatV7Reader.Read(c, meta, d);
            }
            else
            {
                TraceDatV6Reader.Read(c, meta);
            }

            return new TraceDatFile(path, file, length, meta);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the file starts with trace.dat's magic bytes (17 08 44 "tracing"), so a reader can tell
    /// it from saved trace text without trusting its name. False for a file too short or unreadable.
    /// </summary>
    public static bool IsTraceDat(string path)
    {
        Span<byte> start = stackalloc byte[TraceDatHeader.SniffLength];
        try
        {
            // A pipe or a device is never one (and opening a pipe would wait for its writer).
            Text.SavedFileCheck.Check(path, allowFifo: false);
            using FileStream f = File.OpenRead(path);
            return f.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && TraceDatHeader.StartsLikeTraceDat(start);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Tracefs.TraceException)
        {
            return false;
        }
    }

    public string Path { get; }

    /// <summary>6 or 7.</summary>
    public int Version => _meta.Version;

    public bool IsBigEndian => _meta.BigEndian;

    /// <summary>The traced kernel's long size (from header_page's commit field).</summary>
    public int LongSize => Layout.CommitSize;

    /// <summary>The traced machine's page size (the default ring-buffer page size).</summary>
    public int PageSize => _meta.PageSize;

    /// <summary>"none", "zstd" or "zlib" (v6 files are never compressed).</summary>
    public string Compression => _meta.Compression;

    public string? CompressionVersion => _meta.CompressionVersion;

    /// <summary>CPUs of the traced machine.</summary>
    public int Cpus => _meta.Cpus;

    /// <summary>The top-level buffer first (Name ""), then the instances, as the file lists them.</summary>
    public IReadOnlyList<TraceDatBuffer> Buffers => _meta.Buffers;

    /// <summary>The ring-buffer page header, from the file's header_page.</summary>
    public RingBufferLayout Layout { get; }

    /// <summary>The stored event formats (ftrace's and every system's), by id.</summary>
    public EventFormatCatalog Events { get; }

    public IReadOnlyList<EventFormat> Formats => Events.Formats;

    /// <summary>The saved cmdlines (pid -> comm).</summary>
    public TaskNames Tasks { get; }

    public IReadOnlyDictionary<int, string> Cmdlines => Tasks.Commands;

    /// <summary>Each buffer's per_cpu/cpuN/stats at the time of recording (empty when the file lacks them).</summary>
    public IReadOnlyList<TraceDatCpuStats> CpuStats { get; }

    /// <summary>The stored /proc/kallsyms, parsed on first use.</summary>
    public KernelSymbols Kallsyms => _kallsyms.Value;

    /// <summary>trace_printk format strings by address.</summary>
    public IReadOnlyDictionary<ulong, string> PrintkFormats => _printk.Value;

    public string? TraceClock => _meta.TraceClock;
    public string? Uname => _meta.Uname;

    /// <summary>The trace-cmd version that wrote the file, when it said.</summary>
    public string? TraceCmdVersion => _meta.TraceCmdVersion;

    /// <summary>Nanoseconds added to every raw timestamp (the DATE and OFFSET options), as trace-cmd report does.</summary>
    public long TimestampOffset => _meta.TimestampOffset;

    /// <summary>
    /// Turns the file's timestamps into wall-clock times: from PSTrace's clock epoch option, or, after trace-cmd's
    /// DATE option, from the Unix epoch (the timestamps already are times of day). Unknown otherwise.
    /// </summary>
    public Core.Tracefs.TraceClock WallClock => _meta.ClockEpochNanoseconds is { } epoch
        ? Core.Tracefs.TraceClock.FromEpoch(DateTime.UnixEpoch.AddTicks(epoch / 100))
        : _meta.HasDate ? Core.Tracefs.TraceClock.FromEpoch(DateTime.UnixEpoch) : Core.Tracefs.TraceClock.Unknown;

    /// <summary>
    /// The events of one buffer, or of all of them, in time order: <see cref="TraceEvent"/>s, with a
    /// <see cref="TraceLostEvents"/> where a CPU's buffer dropped events. Equal timestamps keep the
    /// order of buffers and CPUs in the file, as trace-cmd report does.
    /// </summary>
    /// <param name="buffer">null for every buffer, "" for the top-level one, or an instance's name.</param>
    /// <exception cref="ArgumentException">The file has no such buffer.</exception>
    /// <exception cref="TraceDataException">While reading: truncated or corrupt CPU data.</exception>
    public IEnumerable<object> ReadEvents(string? buffer = null)
    {
        List<TraceDatBuffer> chosen = buffer is null
            ? Buffers.Where(b => !b.IsLatency).ToList()
            : Buffers.Where(b => b.Name == buffer).ToList();
        if (buffer is not null && chosen.Count == 0)
        {
            string names = string.Join(", ", Buffers.Select(b => "\"" + b.Name + "\""));
            throw new ArgumentException($"The file has no buffer \"{buffer}\"; it has {names}.", nameof(buffer));
        }

        if (chosen.Any(b => b.IsLatency))
        {
            throw new NotSupportedException($"Buffer \"{buffer}\" holds a latency tracer's text, not ring-buffer pages.");
        }

        return Merge(chosen);
    }

    /// <summary>
    /// Sees each page that cannot be decoded while reading (a warning's worth: the CPU and the offset);
    /// the page is skipped and a <see cref="TraceLostEvents"/> without a count marks the gap.
    /// Unset, such pages are still skipped and marked.
    /// </summary>
    public Action<DamagedPage>? PageDamaged { get; set; }

    private void NoteDamage(int cpu, long pageOffset, TraceDataException e)
    {
        int cut = e.Message.LastIndexOf(" (at offset ", StringComparison.Ordinal);
        PageDamaged?.Invoke(new DamagedPage(cpu, pageOffset, e.Offset, cut > 0 ? e.Message[..cut] : e.Message));
    }

    /// <summary>Bytes of CPU data read so far, of those the read under way covers (0 of 0 before it starts).</summary>
    public (long Done, long Total) DataProgress => (_reading.Sum(s => s.BytesRead), _readingTotal);

    private readonly List<PageSource> _reading = new();
    private long _readingTotal;

    private IEnumerable<object> Merge(List<TraceDatBuffer> buffers)
    {
        _reading.Clear();
        _readingTotal = buffers.Sum(b => b.Cpus.Sum(c => c.Size));
        using Decompressor? decompressor = buffers.Any(b => b.IsCompressed) ? Decompressor.For(Compression, 0) : null;
        var decoder = new TraceEventDecoder(Events, Tasks, IsBigEndian);
        var streams = new List<CpuRecordStream>();
        try
        {
            foreach (TraceDatBuffer b in buffers)
            {
                foreach (TraceDatCpuData cpu in b.Cpus)
                {
                    PageSource pages = b.IsCompressed
                        ? new CompressedPageSource(_file, _length, cpu, b.PageSize, IsBigEndian, decompressor!)
                        : new FileRegionPageSource(_file, cpu.Offset, cpu.Size, b.PageSize);
                    _reading.Add(pages);
                    streams.Add(new CpuRecordStream(pages, Layout, IsBigEndian, cpu.Cpu, TimestampOffset, _meta.TscToNanoseconds) { Damaged = NoteDamage });
                }
            }

            // Smallest timestamp first; on a tie, the stream listed first (trace-cmd's order).
            var queue = new PriorityQueue<int, (ulong Timestamp, int Index)>();
            for (int i = 0; i < streams.Count; i++)
            {
                if (streams[i].MoveNext())
                {
                    queue.Enqueue(i, (streams[i].Timestamp, i));
                }
                else if (streams[i].LostAtEnd)
                {
                    yield return streams[i].LostAfterEnd();
                }
            }

            while (queue.TryDequeue(out int i, out _))
            {
                CpuRecordStream s = streams[i];
                if (s.LostBefore)
                {
                    yield return s.Lost();
                }

                yield return s.Decode(decoder);
                if (s.MoveNext())
                {
                    queue.Enqueue(i, (s.Timestamp, i));
                }
                else if (s.LostAtEnd)
                {
                    // Damaged last pages: the gap goes where this CPU's records end.
                    yield return s.LostAfterEnd();
                }
            }
        }
        finally
        {
            foreach (CpuRecordStream s in streams)
            {
                s.Dispose();
            }
        }
    }

    private static RingBufferLayout ReadLayout(TraceDatMetadata meta)
    {
        try
        {
            return RingBufferLayout.Parse(meta.HeaderPage).WithPageSize(meta.PageSize);
        }
        catch (FormatException e)
        {
            throw new TraceDataException("The file's header_page is not usable: " + e.Message, 0, e);
        }
    }

    /// <summary>printk_formats lines: "0xADDRESS : \"format\"".</summary>
    private static Dictionary<ulong, string> ParsePrintk(string text)
    {
        var formats = new Dictionary<ulong, string>();
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string address = line[..colon].Trim();
            if (address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(address.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong a))
            {
                formats[a] = line[(colon + 3)..].Trim().Trim('"');
            }
        }

        return formats;
    }

    public void Dispose() => _file.Dispose();

    public override string ToString() => $"{Path}: trace.dat v{Version}, {Compression}, {Cpus} CPUs, {Buffers.Count} buffers";
}
