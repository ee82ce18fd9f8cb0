using System.Text.RegularExpressions;
using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Where events come from, live or saved, read the same way: <see cref="OpenLive"/> follows a buffer through
/// its per-CPU trace_pipe_raw pages where the kernel has them (else trace_pipe's text) and can keep what it
/// reads as a trace.dat capture; <see cref="OpenSaved"/> reads saved text or a trace.dat file. Either way
/// <see cref="Read"/> yields <see cref="TraceEvent"/> and <see cref="TraceLostEvents"/> objects, typed by
/// <see cref="Catalog"/>, and nothing downstream needs to know which it was.
/// </summary>
public sealed partial class EventSource : IDisposable
{
    private readonly Func<CancellationToken, IEnumerable<object>> _read;
    private readonly TraceBuffer? _buffer;
    private readonly RawTraceReader? _raw;
    private readonly IDisposable? _owned;
    private EventCapture? _capture;
    private static readonly object MachineSymbolsGate = new();
    private static (string Modules, KernelSymbols Symbols)? s_machineSymbols;
    private Lazy<KernelSymbols> _symbols = new(ReadKallsyms);
    private long _handedOn;

    private EventSource(string description, EventFormatCatalog? catalog, Func<CancellationToken, IEnumerable<object>> read, TraceBuffer? buffer = null,
        RawTraceReader? raw = null, EventCapture? capture = null, IDisposable? owned = null, int? sessionNumber = null)
    {
        Description = description;
        Catalog = catalog;
        _read = read;
        _buffer = buffer;
        _raw = raw;
        _capture = capture;
        _owned = owned;
        SavedSessionNumber = sessionNumber;
    }

    /// <summary>What is read and how, for -Verbose.</summary>
    public string Description { get; }

    /// <summary>The event formats that type the events: the kernel's, or a trace.dat file's own; null when none is known.</summary>
    public EventFormatCatalog? Catalog { get; }

    /// <summary>True when the events come from binary ring-buffer pages (live trace_pipe_raw, or a trace.dat file).</summary>
    public bool ReadsBinary => _raw is not null || Saved?.TraceDat is not null;

    /// <summary>What the live reader should say in -Verbose at the end (pages read, waits), or null.</summary>
    public string? Counters => _raw is null ? null
        : $"Read {_raw.PagesRead} page(s); readers waited for the merge {_raw.ReaderWaits} time(s); saved_cmdlines read {_raw.CommandCacheReads} time(s).";

    /// <summary>The file a live read is being saved to, or null.</summary>
    public string? CapturePath => _capture?.Path;

    /// <summary>
    /// Converts the events' timestamps to wall-clock time: the session's clock for a live buffer on the mono clock,
    /// the file's for a saved trace that says when its clock was zero; <see cref="TraceClock.Unknown"/> otherwise.
    /// A capture keeps it, so -Path gives the Time the live read gave.
    /// </summary>
    public TraceClock Clock { get; internal set; } = TraceClock.Unknown;

    /// <summary>
    /// The traced kernel's symbols, to name the function addresses binary records carry: a trace.dat file's own kallsyms,
    /// this machine's /proc/kallsyms for a live buffer; read on first use (kallsyms is large, most reads never need it).
    /// </summary>
    public KernelSymbols Symbols => _symbols.Value;

    /// <summary>The raw timestamp of the last event <see cref="Read"/> handed on (read after reading stopped).</summary>
    public ulong? LastHandedOn { get; private set; }

    /// <summary>
    /// A saved trace of a PSTrace watch session: the number N of its probe events ("sN_name"), so a watch tool can
    /// find them again; null when the trace has no such probes.
    /// </summary>
    public int? SavedSessionNumber { get; }

    /// <summary>Events handed on by <see cref="Read"/> so far.</summary>
    public long HandedOn => Interlocked.Read(ref _handedOn);

    /// <summary>
    /// Follows a live buffer: binary pages unless <paramref name="textPath"/> or the kernel lacks them (or
    /// <paramref name="catalog"/> is null). With <paramref name="captureTo"/>, every page read is kept for a
    /// trace.dat file written by <see cref="CompleteCapture"/>.
    /// </summary>
    /// <exception cref="TraceException">-OutFile on the text path (OutFileNeedsBinaryPages), or the page layout cannot be read.</exception>
    /// <exception cref="IOException">The capture cannot be written where asked.</exception>
    public static EventSource OpenLive(TraceBuffer buffer, EventFormatCatalog? catalog, bool textPath = false, string? captureTo = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!textPath && catalog is not null && RawTraceReader.IsAvailable(buffer))
        {
            // The reader's tee is set before the capture exists: the capture needs the layout the reader reads.
            EventCapture? capture = null;
            var raw = new RawTraceReader(buffer, catalog, captureTo is null ? null : (cpu, page) => capture!.AddPage(cpu, page));
            capture = captureTo is null ? null : new EventCapture(captureTo, raw.Layout);
            string description = $"{buffer.DisplayName} through trace_pipe_raw of {raw.Cpus.Count} CPU(s): per_cpu/cpuN/trace_pipe_raw (binary pages, CPUs {string.Join(",", raw.Cpus)}, {raw.Layout.PageSize}-byte pages), merged in time order"
                + (capture is null ? "" : $", saved to {capture.Path}");
            return new EventSource(description, catalog, raw.Read, buffer, raw, capture) { Clock = ClockOf(buffer) };
        }

        if (captureTo is not null)
        {
            throw new TraceException(TraceErrorKind.NotSupported, "OutFileNeedsBinaryPages",
                "-OutFile saves the binary pages of per-CPU trace_pipe_raw, which " + (textPath ? "-TextPath does not read." : "this kernel does not have."),
                "Leave out -TextPath, or save the text with Out-File.", captureTo);
        }

        string how = textPath ? "trace_pipe (text), as -TextPath asks" : "trace_pipe (text): this kernel has no per-CPU trace_pipe_raw or event formats";
        return new EventSource($"{buffer.DisplayName} through {how}", catalog, token => ReadPipe(buffer, catalog, token), buffer);
    }

    /// <summary>
    /// Reads a saved trace: a trace.dat file (version 6 or 7, typed by its own formats) or text (the output of
    /// `cat trace`, trace_pipe or trace-cmd report, typed by <paramref name="textCatalog"/>), checked and told apart
    /// by <see cref="SavedTraceFile"/>. An empty file has no events.
    /// </summary>
    /// <param name="instance">trace.dat: the buffer to read (null for all, "" for the top level).</param>
    /// <param name="records">Build function_graph records into FunctionCall trees (Get-TraceEvent); false gives the events as they are.</param>
    /// <param name="textFormat">Text: read it as this tracer's output whatever its first lines look like (a reader that wants one tracer's records); null to tell from the text.</param>
    /// <param name="allowFifo">Read a named pipe (given by name, not matched by a wildcard) until its writer closes it.</param>
    /// <param name="token">Stops a wait for a pipe's writer.</param>
    /// <exception cref="Binary.TraceDataException">The trace.dat file is damaged.</exception>
    /// <exception cref="TraceException">Not a saved trace (a directory, a device, binary data; see SavedTraceFile), or TraceBufferNotFound.</exception>
    public static EventSource OpenSaved(string path, EventFormatCatalog? textCatalog, string? instance = null, bool records = false, bool flat = false,
        TraceTextFormat? textFormat = null, bool allowFifo = false, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        SavedTraceFile saved = SavedTraceFile.Open(path, allowFifo, token);
        try
        {
            return saved.TraceDat is { } dat ? FromTraceDat(saved, dat, instance, records, flat) : FromText(saved, saved.Text!, textCatalog, records, flat, textFormat, token);
        }
        catch
        {
            saved.Dispose();
            throw;
        }
    }

    private static EventSource FromTraceDat(SavedTraceFile saved, TraceDatFile dat, string? instance, bool records, bool flat)
    {
        string buffers = string.Join(", ", dat.Buffers.Select(b => b.IsTopLevel ? "(top level)" : b.Name));
        if (instance is not null && !dat.Buffers.Any(b => b.Name == instance))
        {
            throw new TraceException(TraceErrorKind.NotFound, "TraceBufferNotFound",
                $"{saved.Path} has no buffer '{(instance.Length == 0 ? "/" : instance)}'; it has {string.Join(", ", dat.Buffers.Select(b => b.IsTopLevel ? "'/' (top level)" : "'" + b.Name + "'"))}.",
                "Give -Instance one of the file's buffers, or leave it out to read them all.", instance);
        }

        string description = $"{saved.Path}: a trace.dat file (version {dat.Version}, {dat.Compression}, {dat.Cpus} CPUs, buffers: {buffers})";
        IEnumerable<object> events = records ? dat.ReadRecords(instance, flat) : dat.ReadEvents(instance);
        int? session = SessionNumberOf(dat.Events.Formats.Where(f => f.System.StartsWith("pstrace_", StringComparison.Ordinal)).Select(f => f.Name));
        return new EventSource(description, dat.Events, token => Checked(events, token), owned: saved, sessionNumber: session)
        {
            Clock = dat.WallClock,
            _symbols = new Lazy<KernelSymbols>(() => dat.Kallsyms),
        };
    }

    private static EventSource FromText(SavedTraceFile saved, SavedTraceText text, EventFormatCatalog? catalog, bool records, bool flat, TraceTextFormat? format,
        CancellationToken token)
    {
        // A pipe can be read once only: its probe names are not looked for ahead (the watch tools then assume session 1).
        int? session = saved.Kind == Text.SavedFileKind.Fifo ? null : SessionNumberOfText(saved.Path, token);
        IEnumerable<object> events = format is { } forced ? text.ReadAs(forced, catalog, flat) : records ? text.Read(catalog, flat) : text.ReadEvents(catalog);
        return new EventSource($"{saved.Path}: trace text", catalog, cancel => Checked(events, cancel), owned: saved, sessionNumber: session);
    }

    private SavedTraceFile? Saved => _owned as SavedTraceFile;

    /// <summary>A saved file's lines of no known trace shape read so far (kept as events with an empty Name).</summary>
    public long UnknownLines => Saved?.Text?.UnknownLines ?? 0;

    /// <summary>A saved file: how far reading has come, in bytes (see <see cref="SavedTraceFile.Progress"/>); null otherwise.</summary>
    public (long Done, long Total)? ReadProgress => Saved?.Progress;

    /// <summary>A saved trace.dat: sees each page that cannot be decoded (it is skipped, and a TraceLostEvents record marks the gap).</summary>
    public Action<Binary.DamagedPage>? PageDamaged
    {
        set
        {
            if (Saved?.TraceDat is { } dat)
            {
                dat.PageDamaged = value;
            }
        }
    }

    /// <summary>
    /// The events, on the caller's thread (a reader thread for live buffers). Reading a live buffer consumes
    /// its events; cancelling ends the read.
    /// </summary>
    public IEnumerable<object> Read(CancellationToken cancel)
    {
        foreach (object item in _read(cancel))
        {
            if (item is TraceEvent ev)
            {
                _capture?.Note(ev);
                Interlocked.Increment(ref _handedOn);
                LastHandedOn = ev.TimestampNanoseconds;
            }

            yield return item;
        }
    }

    /// <summary>
    /// Writes the trace.dat capture (call once reading has stopped, before the session's events and probes go);
    /// returns what was written, for -Verbose, or null without a capture.
    /// </summary>
    /// <param name="delivered">Events that went on to the pipeline (null: those handed on by <see cref="Read"/>, to a watch tool).</param>
    /// <param name="keepThrough">The raw timestamp of the last event to keep (the last delivered); later ones are cut from the file.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="TraceException">The formats cannot be read from tracefs.</exception>
    public string? CompleteCapture(long? delivered = null, ulong? keepThrough = null)
    {
        if (_capture is null || _buffer is null || _raw is null)
        {
            return null;
        }

        try
        {
            return _capture.Complete(_buffer, _raw.Layout, delivered ?? HandedOn, delivered is null ? "were read by the tool" : "went to the pipeline", keepThrough, Clock.EpochUnixNanoseconds);
        }
        finally
        {
            _capture.Dispose();
            _capture = null;
        }
    }

    /// <summary>Removes the pages of a capture never completed, and closes a saved file.</summary>
    public void Dispose()
    {
        _capture?.Dispose();
        _owned?.Dispose();
    }

    /// <summary>
    /// This machine's kernel symbols; none when /proc/kallsyms cannot be read (addresses then stay hex). Kept for the
    /// process while the loaded modules stay the same: the kernel writes kallsyms slowly (seconds under emulation),
    /// and every live function trace needs it.
    /// </summary>
    internal static KernelSymbols ReadKallsyms()
    {
        try
        {
            string modules = File.Exists("/proc/modules") ? File.ReadAllText("/proc/modules") : "";
            lock (MachineSymbolsGate)
            {
                if (s_machineSymbols is not { } cached || cached.Modules != modules)
                {
                    s_machineSymbols = cached = (modules, KernelSymbols.Parse(File.ReadAllText("/proc/kallsyms")));
                }

                return cached.Symbols;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return KernelSymbols.Empty;
        }
    }

    /// <summary>A buffer on the mono clock converts to wall-clock time from now on; other clocks (local, the default, drifts per CPU) do not.</summary>
    private static TraceClock ClockOf(TraceBuffer buffer)
    {
        try
        {
            string clocks = buffer.Read("trace_clock");
            return clocks.Contains("[" + TraceClock.KernelClockName + "]", StringComparison.Ordinal) ? TraceClock.Now() : TraceClock.Unknown;
        }
        catch (TraceException)
        {
            return TraceClock.Unknown;
        }
    }

    private static IEnumerable<object> ReadPipe(TraceBuffer buffer, EventFormatCatalog? catalog, CancellationToken token)
    {
        using var reader = new TracePipeTextReader(buffer, token);
        foreach (object item in TraceTextReader.Read(reader, catalog))
        {
            yield return item;
        }
    }

    /// <summary>A file read stops on cancellation like a live one.</summary>
    private static IEnumerable<object> Checked(IEnumerable<object> items, CancellationToken token)
    {
        foreach (object item in items)
        {
            if (token.IsCancellationRequested)
            {
                yield break;
            }

            yield return item;
        }
    }

    /// <summary>The session number of probe events named "sN_..." (the lowest, when several sessions are in one file).</summary>
    private static int? SessionNumberOf(IEnumerable<string> eventNames)
    {
        int? lowest = null;
        foreach (string name in eventNames)
        {
            Match m = SessionProbeName().Match(name);
            if (m.Success && int.TryParse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out int n) && (lowest is null || n < lowest))
            {
                lowest = n;
            }
        }

        return lowest;
    }

    /// <summary>In saved text, probe events show by name only ("s3_exec_path:"): the first one found names the session.</summary>
    private static int? SessionNumberOfText(string path, CancellationToken token)
    {
        using var reader = new StreamReader(path);
        char[] block = new char[1 << 16];
        int read;
        string carry = "";
        while ((read = reader.Read(block, 0, block.Length)) > 0)
        {
            token.ThrowIfCancellationRequested();
            string text = carry + new string(block, 0, read);
            Match m = SessionProbeInText().Match(text);
            if (m.Success)
            {
                return SessionNumberOf([m.Groups[1].Value]);
            }

            carry = text.Length > 64 ? text[^64..] : text;
        }

        return null;
    }

    [GeneratedRegex(@"^s([0-9]+)_[a-z0-9_]+$")]
    private static partial Regex SessionProbeName();

    [GeneratedRegex(@" (s[0-9]+_[a-z0-9_]+):")]
    private static partial Regex SessionProbeInText();
}
