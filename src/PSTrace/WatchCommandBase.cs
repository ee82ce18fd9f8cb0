using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// What the Watch-* cmdlets share: the process and command-name filters, -Duration, -MaxEvents and the
/// buffer size; a session of their own that the watch tool sets up; and the loop that writes its records
/// as they come (<see cref="LiveStream"/>). Process ids bound from the pipeline (Get-Process) are watched
/// together once the input ends.
/// </summary>
public abstract class WatchCommandBase : TraceCmdlet
{
    private readonly List<int> _processIds = new();

    /// <summary>Watch these processes only: every thread of each (and with -IncludeChildren the processes they start).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[] ProcessId { get; set; } = Array.Empty<int>();

    /// <summary>With -ProcessId: also watch the processes they start while the watch runs.</summary>
    [Parameter]
    public SwitchParameter IncludeChildren { get; set; }

    /// <summary>Keep only commands (comm) whose name matches; wildcards, case-insensitive.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Stop after this long (a number of seconds, "500ms", "2m", or a TimeSpan).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Stop after this many records.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxEvents { get; set; }

    /// <summary>The session's buffer per CPU, in KB.</summary>
    [Parameter]
    [ValidateRange(64, 1048576)]
    public int BufferSizeKb { get; set; } = WatchSession.DefaultBufferSizeKb;

    /// <summary>The tool this cmdlet runs, made from its own parameters.</summary>
    protected abstract TraceWatcher CreateWatcher();

    /// <summary>Processes to watch besides -ProcessId (a program the cmdlet starts).</summary>
    protected virtual IEnumerable<int> AdditionalProcessIds => [];

    /// <summary>True to drop the records of the pwsh running the watch (a tool whose set-up that pwsh's own work would flood).</summary>
    protected virtual bool LeavesOutSelf => false;

    /// <summary>True when the watch should end before -Duration (a started program exited).</summary>
    protected virtual bool EndRequested => false;

    /// <summary>Runs once the session is ready, before reading starts (a started program is let go).</summary>
    protected virtual void OnSessionReady()
    {
    }

    protected override void ProcessRecord() => _processIds.AddRange(ProcessId);

    protected override void EndProcessing()
    {
        if (IncludeChildren && _processIds.Count == 0 && !AdditionalProcessIds.Any())
        {
            ThrowTerminatingError(ErrorRecords.Parameter("ChildrenWithoutProcess", "-IncludeChildren needs processes to start from.", null, "Give -ProcessId (or pipe Get-Process), or leave out -IncludeChildren."));
        }

        var filter = Guard(() => new WatchFilter(_processIds.Concat(AdditionalProcessIds), IncludeChildren, Name, LeavesOutSelf ? Environment.ProcessId : null));
        TraceWatcher watcher = CreateWatcher();
        WatchSession session = Start(watcher, filter);
        try
        {
            WriteVerbose("Backend: " + session.Backend + ".");
            foreach (string detail in session.Details)
            {
                WriteVerbose(detail);
            }

            OnSessionReady();
            WriteVerbose($"Watching: reading {session.Buffer.DisplayName} through {session.ReadingPath}.");
            var stream = new LiveStream(this, Cancellation)
            {
                Duration = Duration,
                MaxRecords = MaxEvents,
                Counts = item => item is not TraceLostEvents,
                ReaderStop = session.Session.Closing,
                RequestEnd = () => Guard(session.RequestEnd),
                EndCondition = () => EndRequested,
                Tick = session.Heartbeat is null ? null : () => Guard(session.Tick),
                TickInterval = session.Heartbeat ?? TimeSpan.FromSeconds(1),
            };
            stream.Run(session.Buffer, session.Read, lostBaseline: null);
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

    private WatchSession Start(TraceWatcher watcher, WatchFilter filter)
    {
        try
        {
            return Guard(() => WatchSession.Start(Fs, watcher, filter, BufferSizeKb));
        }
        catch (Exception e) when (e is SymbolResolutionException or ProbeValidationException)
        {
            var record = new ErrorRecord(e, "ProbeSetupFailed", ErrorCategory.InvalidOperation, null);
            ThrowTerminatingError(record);
            throw; // not reached
        }
    }
}
