using System.Management.Automation;
using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
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

    /// <summary>Read an existing buffer: an instance by name, or the top-level buffer when empty. With -Path, the buffer of a trace.dat file to read.</summary>
    [Parameter(ParameterSetName = BufferSet)]
    [Parameter(ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    [AllowEmptyString]
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
    private ProcessScope? _scope;
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
                    Stream(buffer, lostBaseline: CpuBufferStats.Read(buffer), Cancellation);
                }
                else
                {
                    using var reader = new StringReader(Guard(() => buffer.Read("trace")));
                    Emit(TraceTextReader.Read(reader, Catalog()));
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

        _scope = ProcessId.Length == 0 ? null : Guard(() => ProcessScope.For(ProcessId, IncludeChildren));
        TraceSession session = Guard(() => TraceSession.Start(Fs));
        try
        {
            WriteVerbose($"Tracing {events.Count} event(s) in instance {session.Name}.");
            if (_scope is { } scope)
            {
                // Before any event is enabled, so no other process slips in.
                WriteVerbose(Guard(() => scope.Apply(session)));
            }

            foreach (EventId ev in events)
            {
                Guard(() => session.EnableEvent(ev, Filter));
            }

            PrepareRawSession(session, events);

            Stream(session.Buffer, lostBaseline: null, session.Closing);
        }
        finally
        {
            session.Dispose();
            foreach (string failure in session.CleanupFailures)
            {
                WriteWarning("Cleanup: " + failure);
            }
        }
    }

    /// <summary>Follows the buffer on a reader thread, through the loop every live cmdlet shares (LiveStream).</summary>
    /// <param name="readerStop">Stops the reader thread: the cmdlet's own cancellation, or the session closing (a signal).</param>
    private void Stream(TraceBuffer buffer, IReadOnlyList<CpuBufferStats>? lostBaseline, CancellationToken readerStop)
    {
        if (Done())
        {
            return;
        }

        var catalog = Catalog();
        var stream = new LiveStream(this, Cancellation)
        {
            Duration = Duration,
            MaxRecords = MaxEvents > 0 ? MaxEvents - _written : 0,
            ReaderStop = readerStop,
            Observe = NoteRecorded,
            Present = item => TraceEventOutput.Wrap(MapProbeHits(item)),
            Finish = () => FinishRaw(buffer),
        };
        Func<CancellationToken, IEnumerable<object>> read = LiveReader(buffer, catalog);
        if (_scope is { IncludeChildren: false } scope)
        {
            // event-fork let the kernel follow children too: they are not what was asked for.
            Func<CancellationToken, IEnumerable<object>> all = read;
            read = token => all(token).Where(item => item is not TraceEvent { Cpu: >= 0 } ev || scope.Contains(ev));
        }

        stream.Run(buffer, read, lostBaseline);
        _written += stream.Written;
    }

    private static IEnumerable<object> ReadPipe(TraceBuffer buffer, EventFormatCatalog? catalog, CancellationToken token)
    {
        using var reader = new TracePipeTextReader(buffer, token);
        foreach (object item in TraceTextReader.Read(reader, catalog))
        {
            yield return item;
        }
    }

    private void ReadFiles()
    {
        foreach (string pattern in Path)
        {
            IEnumerable<string> files;
            try
            {
                files = GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "TraceFileNotFound", ErrorCategory.ObjectNotFound, pattern));
                continue;
            }

            foreach (string file in files)
            {
                WriteVerbose($"Reading {file}.");
                if (TraceDatFile.IsTraceDat(file))
                {
                    ReadTraceDat(file);
                    continue;
                }

                using var reader = new StreamReader(file);
                Emit(SavedTraceReader.Read(reader, Catalog(), Flat));
                if (Done())
                {
                    return;
                }
            }
        }
    }

    private void Emit(IEnumerable<object> records)
    {
        foreach (object item in records)
        {
            if (Cancellation.IsCancellationRequested || Done())
            {
                return;
            }

            WriteObject(TraceEventOutput.Wrap(MapProbeHits(item)));
            _written++;
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

    private RawTraceReader? _raw;

    /// <summary>
    /// The live reader: per-CPU trace_pipe_raw pages merged in time order, unless -TextPath is given or
    /// the kernel lacks them; then trace_pipe's text. Says which in -Verbose.
    /// </summary>
    private Func<CancellationToken, IEnumerable<object>> LiveReader(TraceBuffer buffer, EventFormatCatalog? catalog)
    {
        // record-cmd exists at the top level only, and is everyone's: said, not changed.
        string recordCmd = System.IO.Path.Combine(buffer.TracefsRoot, "options", "record-cmd");
        if (File.Exists(recordCmd) && ControlFile.Read(recordCmd).Trim() == "0")
        {
            WriteWarning($"{recordCmd} is 0: the kernel saves no comms, so Command shows <...>. Write 1 to it to have them.");
        }

        if (!TextPath && catalog is not null && RawTraceReader.IsAvailable(buffer))
        {
            _raw = Guard(() => new RawTraceReader(buffer, catalog, StartRecording()));
            WriteVerbose($"Reading {buffer.DisplayName} through per_cpu/cpuN/trace_pipe_raw (binary pages, CPUs {string.Join(",", _raw.Cpus)}, {_raw.Layout.PageSize}-byte pages), merged in time order.");
            RawTraceReader raw = _raw;
            return token => raw.Read(token);
        }

        if (OutFile is not null)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("OutFileNeedsBinaryPages", "-OutFile saves the binary pages of per-CPU trace_pipe_raw, which " + (TextPath ? "-TextPath does not read." : "this kernel does not have."), OutFile, "Leave out -TextPath, or save the text with Out-File."));
        }

        WriteVerbose(TextPath
            ? $"Reading {buffer.DisplayName} through trace_pipe (text), as -TextPath asks."
            : $"Reading {buffer.DisplayName} through trace_pipe (text): this kernel has no per-CPU trace_pipe_raw or event formats.");
        return token => ReadPipe(buffer, catalog, token);
    }

    /// <summary>
    /// A session read as binary pages: its instance records thread groups (saved_tgids) and the formats
    /// of its events are read now, so the first records need no search of every format.
    /// </summary>
    private void PrepareRawSession(TraceSession session, IEnumerable<EventId> events)
    {
        if (TextPath || Catalog() is not { } catalog || !RawTraceReader.IsAvailable(session.Buffer))
        {
            return;
        }

        foreach (EventId ev in events)
        {
            catalog.Find(ev.System, ev.Name);
        }

        if (File.Exists(session.Buffer.PathOf("options/record-tgid")))
        {
            Guard(() => session.SetOption("record-tgid", true));
        }
    }

    /// <summary>
    /// After a binary read: the -OutFile capture written, then the counters in -Verbose. The file comes
    /// first because after a stop (Ctrl+C) writing to the pipeline throws, and the capture must not be lost.
    /// </summary>
    private void FinishRaw(TraceBuffer buffer)
    {
        string? saved = null;
        Exception? failed = null;
        if (_recorder is not null && _raw is not null)
        {
            try
            {
                var contents = TraceDatContents.FromTracefs(buffer, EnabledEvents(buffer).Concat(_recordedEvents), _raw.Layout.PageSize);
                _recorder.Complete(contents);
                saved = $"Wrote {_recorder.Pages} page(s) of {contents.Cpus} CPU(s) to {_recorder.Path} (trace.dat version 6).";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TraceException)
            {
                failed = e;
            }
            finally
            {
                _recorder.Dispose();
                _recorder = null;
            }
        }

        if (_raw is not null)
        {
            WriteVerbose($"Read {_raw.PagesRead} page(s); readers waited for the merge {_raw.ReaderWaits} time(s); saved_cmdlines read {_raw.CommandCacheReads} time(s).");
        }

        if (saved is not null)
        {
            WriteVerbose(saved);
        }

        if (failed is not null)
        {
            WriteError(new ErrorRecord(failed, "OutFileNotWritten", ErrorCategory.WriteError, OutFile));
        }
    }

    /// <summary>The events enabled in the buffer (its set_event), whose formats a saved file needs.</summary>
    private static IEnumerable<EventId> EnabledEvents(TraceBuffer buffer)
    {
        string text;
        try
        {
            text = buffer.Read("set_event");
        }
        catch (TraceException)
        {
            return [];
        }

        var events = new List<EventId>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                events.Add(EventId.Parse(line));
            }
            catch (FormatException)
            {
                // Not system:event; nothing to store a format for.
            }
        }

        return events;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A read that never got to FinishRaw leaves no page files behind.
            _recorder?.Dispose();
        }

        base.Dispose(disposing);
    }

    private TraceDatRecorder? _recorder;
    private readonly HashSet<EventId> _recordedEvents = new();

    /// <summary>With -OutFile, a recorder that keeps every page the readers take; null without.</summary>
    private Action<int, byte[]>? StartRecording()
    {
        if (OutFile is null)
        {
            return null;
        }

        string path = GetUnresolvedProviderPathFromPSPath(OutFile);
        try
        {
            _recorder = new TraceDatRecorder(path);
        }
        catch (IOException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "OutFileNotWritable", ErrorCategory.WriteError, OutFile));
        }

        WriteVerbose($"Saving the pages read to {path}.");
        return _recorder!.AddPage;
    }

    /// <summary>The events a saved file needs formats for: those seen, besides those enabled.</summary>
    private void NoteRecorded(object item)
    {
        if (_recorder is not null && item is TraceEvent { System.Length: > 0 } e)
        {
            _recordedEvents.Add(new EventId(e.System, e.Name));
        }
    }

    /// <summary>
    /// A trace-cmd trace.dat file (version 6 or 7): its events typed by the formats it stores, the
    /// function_graph tracer's records as FunctionCall trees. A corrupt file is an error naming the offset.
    /// </summary>
    private void ReadTraceDat(string file)
    {
        try
        {
            using TraceDatFile dat = TraceDatFile.Open(file);
            dat.PageDamaged = damage => WriteWarning($"{file}: {damage.Message}");
            WriteVerbose($"{file} is a trace.dat file (version {dat.Version}, {dat.Compression}, {dat.Cpus} CPUs, buffers: {string.Join(", ", dat.Buffers.Select(b => b.IsTopLevel ? "(top level)" : b.Name))}).");
            if (Instance is not null && !dat.Buffers.Any(b => b.Name == Instance))
            {
                WriteError(ErrorRecords.Parameter("TraceBufferNotFound", $"{file} has no buffer '{Instance}'; it has {string.Join(", ", dat.Buffers.Select(b => b.IsTopLevel ? "'' (top level)" : "'" + b.Name + "'"))}.", Instance));
                return;
            }

            Emit(dat.ReadRecords(Instance, Flat));
        }
        catch (TraceDataException e)
        {
            WriteError(new ErrorRecord(e, "TraceDataCorrupt", ErrorCategory.InvalidData, file)
            {
                ErrorDetails = new ErrorDetails($"{file}: {e.Message}") { RecommendedAction = "The file is truncated or damaged at the offset named; events before it were written." },
            });
        }
    }
}
