using System.Globalization;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Sessions;

/// <summary>
/// One live trace: a private instance (<see cref="TraceSession"/>), optionally kept to whole processes
/// (<see cref="ProcessScope"/>), set up by a watcher (the events of Get-TraceEvent, or a watch tool's events and
/// probes), read through an <see cref="EventSource"/> and turned into the watcher's records. It has one way to
/// stop that loses nothing: <see cref="RequestEnd"/> writes a marker into the buffer and reading ends when it
/// comes out, after everything recorded before it. Dispose removes everything the session created.
/// </summary>
public sealed partial class LiveSession : IDisposable
{
    private readonly TraceWatcher _watcher;
    private readonly WatchFilter _filter;
    private readonly WatchSetup? _setup;
    private readonly ProcessScope? _scope;
    private readonly TraceSession? _session;
    private readonly string _endMarker;

    private LiveSession(TraceSession session, TraceWatcher watcher, WatchSetup setup, ProcessScope? scope, EventSource source, WatchFilter filter)
    {
        _session = session;
        _watcher = watcher;
        _setup = setup;
        _scope = scope;
        Source = source;
        _filter = filter;
        _endMarker = "pstrace-end-" + session.Name;
    }

    /// <summary>The session's tracefs instance (a BPF session has none: see <see cref="TracefsBuffer"/>).</summary>
    public TraceSession Session => _session ?? throw new InvalidOperationException("A BPF session has no tracefs instance.");

    public TraceBuffer Buffer => Session.Buffer;

    /// <summary>The instance's buffer, whose counters tell losses; null for a BPF session (its losses come as records).</summary>
    public TraceBuffer? TracefsBuffer => _session?.Buffer;

    /// <summary>Fires when the session is closing on a signal (a tracefs session's pipes must close before its instance goes).</summary>
    public CancellationToken Closing => _session?.Closing ?? CancellationToken.None;

    /// <summary>What Dispose could not remove, for warnings.</summary>
    public IReadOnlyList<string> CleanupFailures => _session?.CleanupFailures ?? [];

    /// <summary>Where the events are read from.</summary>
    public EventSource Source { get; }

    /// <summary>The backend the watcher chose, for -Verbose.</summary>
    public string Backend => _watcher.Backend;

    /// <summary>What was set up, for -Verbose.</summary>
    public IReadOnlyList<string> Details => _setup?.Details ?? _bpfDetails;

    /// <summary>Converts the session's trace times to wall-clock times (exact with the "mono" clock).</summary>
    public TraceClock Clock => _setup?.Clock ?? Source.Clock;

    /// <summary>How often <see cref="Tick"/> should be called; null when the watcher needs no heartbeat.</summary>
    public TimeSpan? Heartbeat => _watcher.Heartbeat;

    /// <summary>Starts a session for <paramref name="watcher"/>; on failure nothing is left behind.</summary>
    /// <exception cref="TraceException">tracefs refused a setting, an event or a probe; a process does not exist.</exception>
    public static LiveSession Start(Tracefs.Tracefs fs, TraceWatcher watcher, LiveSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(watcher);
        options ??= new LiveSessionOptions();
        WatchFilter filter = options.Filter;
        ProcessScope? scope = filter.HasProcesses && watcher.UsesKernelProcessFilter ? ProcessScope.For(filter.ProcessIds, filter.IncludeChildren) : null;
        if (scope is null)
        {
            // A tool that keeps processes in user space (block requests) still refuses one that does not run.
            ProcessScope.RequireRunning(filter.ProcessIds);
        }

        TraceSession session = TraceSession.Start(fs);
        EventSource? source = null;
        try
        {
            var settings = new List<string>();
            if (options.MonotonicClock)
            {
                // The clock first: changing it empties the buffer. "mono" is one clock for every CPU, and it converts to wall time.
                session.WriteInstanceFile("trace_clock", TraceClock.KernelClockName);
                settings.Add("trace clock " + TraceClock.KernelClockName);
            }

            if (options.BufferSizeKb > 0)
            {
                session.WriteInstanceFile("buffer_size_kb", options.BufferSizeKb.ToString(CultureInfo.InvariantCulture));
                settings.Add(options.BufferSizeKb.ToString(CultureInfo.InvariantCulture) + " KB per CPU");
            }

            if (File.Exists(session.Buffer.PathOf("options/record-tgid")))
            {
                // Thread groups of the binary path come from saved_tgids.
                session.SetOption("record-tgid", true);
            }

            var setup = new WatchSetup(session, filter, EventFormatCatalog.Load(fs.PathOf("events")), TraceClock.Now());
            setup.Detail($"Session {session.Name}: {(settings.Count == 0 ? "kernel defaults" : string.Join(", ", settings))}, filter: {filter}.");
            if (scope is not null)
            {
                // Before any event is enabled, so no other process slips in.
                setup.Detail(scope.Apply(session));
            }

            watcher.Configure(setup);
            setup.Catalog.Refresh();
            source = EventSource.OpenLive(session.Buffer, setup.Catalog, options.TextPath, options.CaptureTo);
            if (options.MonotonicClock)
            {
                // One epoch for the records and the capture: -Path then gives the Time the live run gave.
                source.Clock = setup.Clock;
            }

            return new LiveSession(session, watcher, setup, scope, source, filter);
        }
        catch
        {
            source?.Dispose();
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the session's buffer until <paramref name="cancel"/> fires or <see cref="RequestEnd"/>'s marker
    /// arrives, and yields the watcher's records, TraceLostEvents and WatchNotice objects.
    /// </summary>
    public IEnumerable<object> Read(CancellationToken cancel)
    {
        foreach (string warning in _setup?.Warnings ?? [])
        {
            yield return new WatchNotice(warning);
        }

        foreach (object item in _watcher.Correlate(InScope(Source.Read(cancel))))
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
    /// buffer, and reading ends when it comes out, after the watcher has written what it still held.
    /// </summary>
    public void RequestEnd()
    {
        if (!Source.RequestBpfEnd())
        {
            Buffer.Write("trace_marker", _endMarker);
        }
    }

    /// <summary>Writes a heartbeat into the buffer: an event that tells the watcher the time when nothing else happens.</summary>
    public void Tick() => Buffer.Write("trace_marker", "pstrace-tick");

    /// <summary>The raw timestamp of the session's end marker, once it came out of the buffer.</summary>
    public ulong? EndMarkerTimestamp { get; private set; }

    /// <summary>
    /// Writes the capture, if any, while the session's formats are still there; see <see cref="EventSource.CompleteCapture"/>.
    /// Without <paramref name="keepThrough"/> the file ends where reading did (<see cref="EndOfRead"/>).
    /// </summary>
    public string? CompleteCapture(long? delivered = null, ulong? keepThrough = null) => Source.CompleteCapture(delivered, keepThrough ?? EndOfRead);

    /// <summary>The last raw timestamp before the end marker, or null while it has not come out.</summary>
    public ulong? BeforeEndMarker => EndMarkerTimestamp is ulong end && end > 0 ? end - 1 : null;

    /// <summary>Where reading ended: just before the end marker, or at the last event handed on when stopped before it.</summary>
    public ulong? EndOfRead => BeforeEndMarker ?? Source.LastHandedOn;

    public void Dispose()
    {
        Source.Dispose();
        _session?.Dispose();
        _bpfObject?.Dispose();
    }

    private IEnumerable<object> InScope(IEnumerable<object> events)
    {
        // event-fork let the kernel follow children too: they are dropped unless asked for.
        ProcessScope? byProcess = _scope is { IncludeChildren: false } ? _scope : null;
        foreach (object item in events)
        {
            if (item is TraceEvent ev)
            {
                if (EventFields.MarkerText(ev) == _endMarker)
                {
                    EndMarkerTimestamp = ev.TimestampNanoseconds;
                    yield break;
                }

                if (byProcess is not null && ev.Cpu >= 0 && _setup?.Unscoped.Contains(ev.Name) != true && !byProcess.Contains(ev))
                {
                    continue;
                }
            }

            yield return item;
        }
    }
}
