using System.Globalization;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// Runs one watch tool in a session of its own: a private instance with the monotonic trace clock,
/// record-tgid and a buffer sized for bursts; the process filter in set_event_pid (with event-fork, so
/// threads and children started later are followed); then the tool's events and probes. Reading yields
/// the tool's records. Dispose removes everything the session created.
/// </summary>
public sealed class WatchSession : IDisposable
{
    /// <summary>Per-CPU buffer of a watch session: room for a burst of a few thousand process starts.</summary>
    public const int DefaultBufferSizeKb = 4096;

    private readonly TraceWatcher _watcher;
    private readonly WatchFilter _filter;
    private readonly WatchSetup _setup;
    private readonly string _endMarker;
    private readonly ProcessScope? _scope;

    private WatchSession(TraceSession session, TraceWatcher watcher, WatchFilter filter, WatchSetup setup, ProcessScope? scope)
    {
        Session = session;
        _watcher = watcher;
        _filter = filter;
        _setup = setup;
        _scope = scope;
        _endMarker = "pstrace-end-" + session.Name;
        ReadsBinary = RawTraceReader.IsAvailable(session.Buffer);
    }

    public TraceSession Session { get; }

    public TraceBuffer Buffer => Session.Buffer;

    /// <summary>The backend the tool chose, for -Verbose.</summary>
    public string Backend => _watcher.Backend;

    /// <summary>What was set up, for -Verbose.</summary>
    public IReadOnlyList<string> Details => _setup.Details;

    /// <summary>Starts a session for <paramref name="watcher"/>; on failure nothing is left behind.</summary>
    public static WatchSession Start(Tracefs.Tracefs fs, TraceWatcher watcher, WatchFilter? filter = null, int bufferSizeKb = DefaultBufferSizeKb)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(watcher);
        filter ??= WatchFilter.None;
        ProcessScope? scope = filter.HasProcesses && watcher.UsesKernelProcessFilter ? ProcessScope.For(filter.ProcessIds, filter.IncludeChildren) : null;
        TraceSession session = TraceSession.Start(fs);
        try
        {
            // The clock first: changing it empties the buffer. "mono" is one clock for every CPU, and it converts to wall time.
            session.WriteInstanceFile("trace_clock", TraceClock.KernelClockName);
            session.WriteInstanceFile("buffer_size_kb", bufferSizeKb.ToString(CultureInfo.InvariantCulture));
            session.SetOption("record-tgid", true);
            var setup = new WatchSetup(session, filter, EventFormatCatalog.Load(fs.PathOf("events")), TraceClock.Now());
            setup.Detail($"Session {session.Name}: trace clock {TraceClock.KernelClockName}, {bufferSizeKb} KB per CPU, filter: {filter}.");
            if (scope is not null)
            {
                // Before any event is enabled, so no other process slips in.
                setup.Detail(scope.Apply(session));
            }

            watcher.Configure(setup);
            setup.Catalog.Refresh();
            return new WatchSession(session, watcher, filter, setup, scope);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// How the buffer is read: its per-CPU trace_pipe_raw pages where the kernel has them (exact times,
    /// whole strings, losses from the page headers), else trace_pipe's text.
    /// </summary>
    public bool ReadsBinary { get; }

    /// <summary>The reading path, for -Verbose.</summary>
    public string ReadingPath => ReadsBinary
        ? $"trace_pipe_raw of {RawTraceReader.CpusOf(Buffer).Count} CPU(s)"
        : "trace_pipe (text)";

    /// <summary>
    /// Reads the session's buffer until <paramref name="cancel"/> fires or <see cref="RequestEnd"/>'s
    /// marker arrives, and yields the tool's records, TraceLostEvents and WatchNotice objects.
    /// </summary>
    public IEnumerable<object> Read(CancellationToken cancel)
    {
        foreach (string warning in _setup.Warnings)
        {
            yield return new WatchNotice(warning);
        }

        foreach (object item in _watcher.Correlate(InScope(ReadEvents(cancel))))
        {
            if (item is IWatchRecord record && !_filter.Keeps(record))
            {
                continue;
            }

            yield return item;
        }
    }

    /// <summary>
    /// Asks the reader to stop once it has read everything recorded so far: a marker is written into the
    /// buffer, and reading ends when it comes out, after the tool has written what it still held.
    /// </summary>
    public void RequestEnd() => Buffer.Write("trace_marker", _endMarker);

    /// <summary>How often <see cref="Tick"/> should be called; null when the tool needs no heartbeat.</summary>
    public TimeSpan? Heartbeat => _watcher.Heartbeat;

    /// <summary>Writes a heartbeat into the buffer: an event that tells the tool the time when nothing else happens.</summary>
    public void Tick() => Buffer.Write("trace_marker", "pstrace-tick");

    public void Dispose() => Session.Dispose();

    private IEnumerable<object> ReadEvents(CancellationToken cancel)
    {
        if (ReadsBinary)
        {
            foreach (object item in new RawTraceReader(Buffer, _setup.Catalog).Read(cancel))
            {
                yield return item;
            }

            yield break;
        }

        using var reader = new TracePipeTextReader(Buffer, cancel);
        foreach (object item in TraceTextReader.Read(reader, _setup.Catalog))
        {
            yield return item;
        }
    }

    private IEnumerable<object> InScope(IEnumerable<object> events)
    {
        ProcessScope? byProcess = _scope is { IncludeChildren: false } ? _scope : null;
        foreach (object item in events)
        {
            if (item is TraceEvent ev)
            {
                if (EventFields.MarkerText(ev) == _endMarker)
                {
                    yield break;
                }

                if (byProcess is not null && ev.Cpu >= 0 && !_setup.Unscoped.Contains(ev.Name) && !byProcess.Contains(ev))
                {
                    continue;
                }
            }

            yield return item;
        }
    }
}
