using System.Management.Automation;
using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Get-TraceEvent: trace events as typed objects, from a private live session (-Name), from an
/// existing buffer (a snapshot of `trace`, or -Follow on `trace_pipe`), or from a saved file (-Path).
/// </summary>
[Cmdlet(VerbsCommon.Get, "TraceEvent", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(TraceEvent), typeof(ProbeHit), typeof(TraceLostEvents), typeof(FunctionCall), typeof(FunctionHit))]
public sealed class GetTraceEventCommand : TraceCmdlet
{
    private const string SessionSet = "Session";
    private const string BufferSet = "Buffer";
    private const string PathSet = "Path";

    /// <summary>Events to trace in a private session (system:event, wildcards); the session's instance is removed at the end.</summary>
    /// <remarks>Bound from the pipeline by value only: event types convert to their full name, and a piped file binds -Path.</remarks>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EventNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>A kernel filter applied to every event of the session, e.g. 'common_pid != 0'.</summary>
    [Parameter(ParameterSetName = SessionSet)]
    public string? Filter { get; set; }

    /// <summary>
    /// Trace only these processes: every thread of each, in the kernel (set_event_pid, with event-fork so
    /// threads they start later are followed). Not bound from the pipeline: a piped process is an event name.
    /// </summary>
    [Parameter(ParameterSetName = SessionSet)]
    [ValidateRange(1, int.MaxValue)]
    public int[] ProcessId { get; set; } = Array.Empty<int>();

    /// <summary>With -ProcessId: also trace the processes they start while the trace runs.</summary>
    [Parameter(ParameterSetName = SessionSet)]
    public SwitchParameter IncludeChildren { get; set; }

    /// <summary>Read an existing buffer: an instance by name, or the top-level buffer as '/'. With -Path, the buffer of a trace.dat file to read ('/' for its top level).</summary>
    [Parameter(ParameterSetName = BufferSet)]
    [Parameter(ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string? Instance { get; set; }

    /// <summary>With -Instance: read trace_pipe (consuming) until stopped, instead of a snapshot of trace.</summary>
    [Parameter(ParameterSetName = BufferSet)]
    public SwitchParameter Follow { get; set; }

    /// <summary>
    /// Saved trace text (the output of `cat trace`, `cat trace_pipe`, or trace-cmd report). Output of the
    /// function_graph tracer gives FunctionCall trees, of the function tracer FunctionHit objects.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullPath", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>With -Path on function_graph output: one FunctionCall per call rather than one tree per outermost call.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter Flat { get; set; }

    /// <summary>Stop after this long (a number of seconds, "500ms", "2m", or a TimeSpan).</summary>
    [Parameter(ParameterSetName = SessionSet)]
    [Parameter(ParameterSetName = BufferSet)]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Read live events as the kernel prints them (trace_pipe) rather than as binary pages (per-CPU trace_pipe_raw).</summary>
    [Parameter(ParameterSetName = SessionSet)]
    [Parameter(ParameterSetName = BufferSet)]
    public SwitchParameter TextPath { get; set; }

    /// <summary>Also save the pages read, as they are, to this trace.dat file (version 6) for trace-cmd report or Get-TraceEvent -Path.</summary>
    [Parameter(ParameterSetName = SessionSet)]
    [Parameter(ParameterSetName = BufferSet)]
    public string? OutFile { get; set; }

    /// <summary>Stop after this many events.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxEvents { get; set; }

    private int _written;
    private TraceClock? _wallClock;
    private readonly List<string> _sessionEvents = new();

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                ReadFiles();
                break;
            case BufferSet:
                TraceBuffer buffer = ResolveBuffer(Instance);
                if (Follow)
                {
                    FollowBuffer(buffer);
                }
                else
                {
                    using var reader = new StringReader(Guard(() => buffer.Read("trace")));
                    Emit(TraceTextReader.Read(reader, Catalog()), TraceClock.Unknown, progress: null);
                }

                break;
            default:
                // Events named or piped in are traced together, in one session, once the input ends.
                _sessionEvents.AddRange(Name);
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == SessionSet)
        {
            RunSession();
        }
    }

    private void RunSession()
    {
        IReadOnlyList<EventId> available = Guard(() => AvailableEvents.List(Fs));
        var events = new List<EventId>();
        foreach (string text in _sessionEvents)
        {
            Guard(() => events.AddRange(AvailableEvents.Resolve(available, EventPattern.Parse(text))));
        }

        events = events.Distinct().ToList();
        if (events.Count == 0)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("NoEventMatched", $"No event matches {string.Join(", ", _sessionEvents)}.", _sessionEvents, "Get-TraceEventType lists the events this kernel has."));
        }

        if (IncludeChildren && ProcessId.Length == 0)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("ChildrenWithoutProcess", "-IncludeChildren needs processes to start from.", null, "Give -ProcessId, or leave out -IncludeChildren."));
        }

        var options = new LiveSessionOptions
        {
            Filter = new WatchFilter(ProcessId, IncludeChildren),
            TextPath = TextPath,
            CaptureTo = OutFilePath(),
            // One clock for every CPU, which converts to wall-clock time (TraceEvent.Time).
            MonotonicClock = true,
        };
        LiveSession session = StartSession(new EventListWatcher(events, Filter), options);
        _wallClock = session.Clock;
        try
        {
            WriteVerbose($"Tracing {events.Count} event(s) in instance {session.Session.Name}.");
            WarnIfNoCommands(session.Buffer);
            foreach (string detail in session.Details)
            {
                WriteVerbose(detail);
            }

            // The window ends with a marker in the session's buffer: what was recorded before it is still written.
            Stream(session.Buffer, session.Source, session.Read, lostBaseline: null, session.Session.Closing, () => Guard(session.RequestEnd), () => session.BeforeEndMarker);
        }
        finally
        {
            session.Dispose();
            foreach (string failure in session.Session.CleanupFailures)
            {
                WriteWarning("Cleanup: " + failure);
            }
        }
    }

    private LiveSession StartSession(EventListWatcher watcher, LiveSessionOptions options)
    {
        try
        {
            return Guard(() => LiveSession.Start(Fs, watcher, options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "OutFileNotWritable", ErrorCategory.WriteError, OutFile));
            throw; // not reached
        }
    }

    /// <summary>-Follow on an existing buffer: read until stopped; at -Duration's end, what was read is still written.</summary>
    private void FollowBuffer(TraceBuffer buffer)
    {
        WarnIfNoCommands(buffer);
        EventSource source;
        try
        {
            source = Guard(() => EventSource.OpenLive(buffer, Catalog(), TextPath, OutFilePath()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "OutFileNotWritable", ErrorCategory.WriteError, OutFile));
            throw; // not reached
        }

        using (source)
        {
            // A buffer on the mono clock converts to wall-clock time (EventSource knows); any other clock does not.
            _wallClock = source.Clock;
            Stream(buffer, source, source.Read, CpuBufferStats.Read(buffer), Cancellation, requestEnd: null, endOfRead: null);
        }
    }

    /// <summary>Follows the buffer on a reader thread, through the loop every live cmdlet shares (LiveStream).</summary>
    /// <param name="readerStop">Stops the reader thread: the cmdlet's own cancellation, or the session closing (a signal).</param>
    /// <param name="endOfRead">Where the session's reading ended (just before its end marker), for a capture when nothing was delivered.</param>
    private void Stream(TraceBuffer buffer, EventSource source, Func<CancellationToken, IEnumerable<object>> read, IReadOnlyList<CpuBufferStats>? lostBaseline, CancellationToken readerStop, Action? requestEnd, Func<ulong?>? endOfRead)
    {
        if (Done())
        {
            return;
        }

        WriteVerbose($"Reading {source.Description}.");
        long delivered = 0;
        ulong? lastDelivered = null;
        var stream = new LiveStream(this, Cancellation)
        {
            Duration = Duration,
            MaxRecords = MaxEvents > 0 ? MaxEvents - _written : 0,
            ReaderStop = readerStop,
            RequestEnd = requestEnd,
            Observe = item =>
            {
                if (item is TraceEvent ev)
                {
                    delivered++;
                    lastDelivered = ev.TimestampNanoseconds;
                }
            },
            Present = item => TraceEventOutput.Wrap(MapProbeHits(item), _wallClock),
            // The file ends with the last event delivered: not with pages read past the end marker or a stop.
            Finish = () => CaptureWriter.Finish(this, source, delivered, lastDelivered ?? endOfRead?.Invoke(), OutFile),
        };
        stream.Run(buffer, read, lostBaseline);
        _written += stream.Written;
    }

    /// <summary>record-cmd exists at the top level only, and is everyone's: said, not changed.</summary>
    private void WarnIfNoCommands(TraceBuffer buffer)
    {
        string recordCmd = System.IO.Path.Combine(buffer.TracefsRoot, "options", "record-cmd");
        if (File.Exists(recordCmd) && ControlFile.Read(recordCmd).Trim() == "0")
        {
            WriteWarning($"{recordCmd} is 0: the kernel saves no comms, so Command shows <...>. Write 1 to it to have them.");
        }
    }

    private string? OutFilePath() => OutFile is null ? null : GetUnresolvedProviderPathFromPSPath(OutFile);

    private void ReadFiles()
    {
        foreach ((string file, bool literal) in SavedTraceFiles.Resolve(this, Path))
        {
            WriteVerbose($"Reading {file}.");
            ReadSavedFile(file, literal);
            if (Done() || Cancellation.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One saved file through <see cref="EventSource.OpenSaved"/>: a trace.dat typed by the formats it stores (the
    /// function_graph tracer's records as FunctionCall trees), or text typed by this machine's formats. A refusal,
    /// or damage found while reading, is an error for this file only; a named pipe is read when named on purpose.
    /// </summary>
    private void ReadSavedFile(string file, bool literal)
    {
        string? buffer = Instance == TopLevelInstance ? "" : Instance;
        using EventSource? source = SavedTraceFiles.Open(this, file, literal,
            () => EventSource.OpenSaved(file, Catalog(), buffer, records: true, flat: Flat, allowFifo: literal, token: Cancellation));
        if (source is null)
        {
            return;
        }

        WriteVerbose(source.Description + ".");
        source.PageDamaged = damage => WriteWarning($"{file}: {damage.Message}");
        LiveProgress? progress = LiveProgress.ForFile(this, file, () => source.ReadProgress);
        try
        {
            Emit(source.Read(Cancellation), source.Clock, progress);
        }
        catch (TraceException e)
        {
            WriteError(ErrorRecords.From(e));
        }
        catch (TraceDataException e)
        {
            WriteError(SavedTraceFiles.Corrupt(file, e));
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C while reading a pipe or a file: stop quietly, as a live session does.
        }
        finally
        {
            progress?.Complete();
        }

        if (source.UnknownLines > 0)
        {
            WriteWarning($"{file}: {source.UnknownLines} line(s) match no known trace line shape; they are kept as events with an empty Name and Cpu -1 (the text in Line).");
        }
    }

    /// <param name="clock">Gives events their wall-clock Time, when the file says when its clock was zero.</param>
    private void Emit(IEnumerable<object> records, TraceClock clock, LiveProgress? progress)
    {
        foreach (object item in records)
        {
            if (Cancellation.IsCancellationRequested || Done())
            {
                return;
            }

            WriteObject(TraceEventOutput.Wrap(MapProbeHits(item), clock));
            _written++;
            progress?.Update(_written, 0);
        }
    }

    private bool Done() => MaxEvents > 0 && _written >= MaxEvents;

    private ProbeHitMapper? _probeHits;

    /// <summary>Probe events become ProbeHit records, read by their probe's declared arguments (this machine's probes).</summary>
    private object MapProbeHits(object item)
    {
        if (_probeHits is null)
        {
            string? root = TracefsLocator.Find();
            _probeHits = new ProbeHitMapper(() => root is null ? Array.Empty<TraceProbe>() : ProbeEvents.List(Core.Tracefs.Tracefs.At(root)));
        }

        return _probeHits.Map(item);
    }

    private EventFormatCatalog? _catalog;
    private bool _catalogLoaded;

    /// <summary>Event formats from this machine's tracefs, to type the fields; without tracefs (null), bodies stay text.</summary>
    private EventFormatCatalog? Catalog()
    {
        if (!_catalogLoaded)
        {
            _catalogLoaded = true;
            string? root = TracefsLocator.Find();
            _catalog = root is null ? null : EventFormatCatalog.Load(System.IO.Path.Combine(root, "events"));
        }

        return _catalog;
    }
}
