using System.Management.Automation;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Get-TraceEvent: trace events as typed objects, from a private live session (-Name), from an
/// existing buffer (a snapshot of `trace`, or -Follow on `trace_pipe`), or from a saved file (-Path).
/// </summary>
[Cmdlet(VerbsCommon.Get, "TraceEvent", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(TraceEvent), typeof(TraceLostEvents))]
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

    /// <summary>Read an existing buffer: an instance by name, or the top-level buffer when empty.</summary>
    [Parameter(ParameterSetName = BufferSet)]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    [AllowEmptyString]
    public string? Instance { get; set; }

    /// <summary>With -Instance: read trace_pipe (consuming) until stopped, instead of a snapshot of trace.</summary>
    [Parameter(ParameterSetName = BufferSet)]
    public SwitchParameter Follow { get; set; }

    /// <summary>Saved trace text (the output of `cat trace`, `cat trace_pipe`, or trace-cmd report).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullPath", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Stop after this long (a number of seconds, "500ms", "2m", or a TimeSpan).</summary>
    [Parameter(ParameterSetName = SessionSet)]
    [Parameter(ParameterSetName = BufferSet)]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Stop after this many events.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxEvents { get; set; }

    private int _written;
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
                    Stream(buffer, lostBaseline: CpuBufferStats.Read(buffer));
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

        TraceSession session = Guard(() => TraceSession.Start(Fs));
        try
        {
            WriteVerbose($"Tracing {events.Count} event(s) in instance {session.Name}.");
            foreach (EventId ev in events)
            {
                Guard(() => session.EnableEvent(ev, Filter));
            }

            Stream(session.Buffer, lostBaseline: null);
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

    /// <summary>Follows trace_pipe on a reader thread (the loop every live cmdlet shares); this thread writes objects until a stop condition.</summary>
    private void Stream(TraceBuffer buffer, IReadOnlyList<CpuBufferStats>? lostBaseline)
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
            Present = TraceEventOutput.Wrap,
        };
        stream.Run(buffer, token => ReadPipe(buffer, catalog, token), lostBaseline);
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
                using var reader = new StreamReader(file);
                Emit(TraceTextReader.Read(reader, Catalog()));
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

            WriteObject(TraceEventOutput.Wrap(item));
            _written++;
        }
    }

    private bool Done() => MaxEvents > 0 && _written >= MaxEvents;

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
