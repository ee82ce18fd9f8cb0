using System.Management.Automation;
using PSTrace.Core.Binary;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// What the Watch-* cmdlets share: the process and command-name filters, -Duration, -MaxEvents and the
/// buffer size; a live session the watch tool sets up (<see cref="LiveSession"/>), optionally saved with
/// -OutFile, or a saved trace read with -Path; and the loop that writes its records as they come
/// (<see cref="LiveStream"/>). Process ids bound from the pipeline (Get-Process) are watched together once
/// the input ends.
/// </summary>
public abstract class WatchCommandBase : TraceCmdlet
{
    /// <summary>The parameter set of a live watch.</summary>
    protected const string LiveSet = "Live";

    /// <summary>The parameter set of a saved trace read with -Path.</summary>
    protected const string PathSet = "Path";

    private readonly List<int> _processIds = new();

    /// <summary>Watch these processes only: every thread of each (and with -IncludeChildren the processes they start).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = LiveSet)]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[] ProcessId { get; set; } = Array.Empty<int>();

    /// <summary>With -ProcessId: also watch the processes they start while the watch runs.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter IncludeChildren { get; set; }

    /// <summary>Keep only commands (comm) whose name matches; wildcards, case-insensitive.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Stop after this long (a number of seconds, "500ms", "2m", or a TimeSpan).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Stop after this many records.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxEvents { get; set; }

    /// <summary>The session's buffer per CPU, in KB.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(64, 1048576)]
    public int BufferSizeKb { get; set; } = LiveSessionOptions.WatchBufferSizeKb;

    /// <summary>Also save the events read, as the kernel's pages, to this trace.dat file (for trace-cmd report, or -Path later).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Read a saved trace instead of the live kernel: a trace.dat file (-OutFile's, or trace-cmd record's) or saved trace text; wildcards.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The tool this cmdlet runs, made from its own parameters.</summary>
    protected abstract TraceWatcher CreateWatcher();

    /// <summary>
    /// The tool's BPF backend when the live watch should use it (-Backend, and what this machine can do); null for
    /// the tracefs tool of <see cref="CreateWatcher"/>. Called once, for a live watch only.
    /// </summary>
    protected virtual BpfWatcher? CreateBpfWatcher() => null;

    /// <summary>Processes to watch besides -ProcessId (a program the cmdlet starts).</summary>
    protected virtual IEnumerable<int> AdditionalProcessIds => [];

    /// <summary>True to drop the records of the pwsh running the watch (a tool whose set-up that pwsh's own work would flood).</summary>
    protected virtual bool LeavesOutSelf => false;

    /// <summary>True when the watch should end before -Duration (a started program exited).</summary>
    protected virtual bool EndRequested => false;

    /// <summary>What the tool's records become before they are written (Watch-BlockIo -Histogram counts them into buckets).</summary>
    protected virtual IEnumerable<object> Summarize(IEnumerable<object> records) => records;

    /// <summary>Runs once the session is ready, before reading starts (a started program is let go).</summary>
    protected virtual void OnSessionReady()
    {
    }

    protected override void ProcessRecord() => _processIds.AddRange(ProcessId);

    protected override void EndProcessing()
    {
        if (ParameterSetName == PathSet)
        {
            ReadSaved();
            return;
        }

        if (IncludeChildren && _processIds.Count == 0 && !AdditionalProcessIds.Any())
        {
            ThrowTerminatingError(ErrorRecords.Parameter("ChildrenWithoutProcess", "-IncludeChildren needs processes to start from.", null, "Give -ProcessId (or pipe Get-Process), or leave out -IncludeChildren."));
        }

        var filter = Guard(() => new WatchFilter(_processIds.Concat(AdditionalProcessIds), IncludeChildren, Name, LeavesOutSelf ? Environment.ProcessId : null));
        BpfWatcher? bpf = CreateBpfWatcher();
        LiveSession session = bpf is null ? Start(CreateWatcher(), filter) : Guard(() => LiveSession.StartBpf(bpf, filter));
        try
        {
            WriteVerbose("Backend: " + session.Backend + ".");
            foreach (string detail in session.Details)
            {
                WriteVerbose(detail);
            }

            OnSessionReady();
            WriteVerbose($"Watching: reading {session.Source.Description}.");
            var stream = new LiveStream(this, Cancellation)
            {
                Duration = Duration,
                MaxRecords = MaxEvents,
                Counts = item => item is not TraceLostEvents,
                ReaderStop = session.Closing,
                RequestEnd = () => Guard(session.RequestEnd),
                EndCondition = () => EndRequested,
                Tick = session.Heartbeat is null ? null : () => Guard(session.Tick),
                TickInterval = session.Heartbeat ?? TimeSpan.FromSeconds(1),
                Finish = () => CaptureWriter.Finish(this, session.Source, null, session.EndOfRead, OutFile),
            };
            stream.Run(session.TracefsBuffer, token => Summarize(session.Read(token)), lostBaseline: null, source: session.TracefsBuffer is null ? session.Source.Description : null);
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

    /// <summary>-Path: each file read through the tool as a live run would have been, until -MaxEvents.</summary>
    private void ReadSaved()
    {
        var filter = Guard(() => new WatchFilter(commands: Name));
        int written = 0;
        var catalog = new Lazy<Core.Formats.EventFormatCatalog?>(SavedTraceFiles.MachineCatalog);
        foreach ((string file, bool literal) in SavedTraceFiles.Resolve(this, Path))
        {
            if (Cancellation.IsCancellationRequested || (MaxEvents > 0 && written >= MaxEvents))
            {
                return;
            }

            // A named pipe is refused even when named: the tool looks through a file for its probes before reading it.
            EventSource? source = SavedTraceFiles.Open(this, file, literal, () => EventSource.OpenSaved(file, catalog.Value, token: Cancellation));
            if (source is null)
            {
                continue;
            }

            using (source)
            {
                WriteVerbose($"Reading {source.Description}" + (source.SavedSessionNumber is int n ? $"; probes of PSTrace session {n}." : "."));
                Func<CancellationToken, IEnumerable<object>> read;
                try
                {
                    read = Guard(() => SavedWatch.Open(source, CreateWatcher(), filter));
                }
                catch (Exception e) when (e is SymbolResolutionException or ProbeValidationException)
                {
                    WriteError(new ErrorRecord(e, "ProbeSetupFailed", ErrorCategory.InvalidOperation, file));
                    continue;
                }

                var stream = new LiveStream(this, Cancellation)
                {
                    MaxRecords = MaxEvents > 0 ? MaxEvents - written : 0,
                    Counts = item => item is not TraceLostEvents,
                };
                stream.Run(null, token => Summarize(read(token)), lostBaseline: null, source: file);
                written += stream.Written;
            }
        }
    }

    private LiveSession Start(TraceWatcher watcher, WatchFilter filter)
    {
        string? outFile = OutFile is null ? null : GetUnresolvedProviderPathFromPSPath(OutFile);
        try
        {
            return Guard(() => LiveSession.Start(Fs, watcher, LiveSessionOptions.ForWatch(filter, BufferSizeKb, outFile)));
        }
        catch (Exception e) when (e is SymbolResolutionException or ProbeValidationException)
        {
            var record = new ErrorRecord(e, "ProbeSetupFailed", ErrorCategory.InvalidOperation, null);
            ThrowTerminatingError(record);
            throw; // not reached
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "OutFileNotWritable", ErrorCategory.WriteError, OutFile));
            throw; // not reached
        }
    }
}
