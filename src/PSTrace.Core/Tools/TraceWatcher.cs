namespace PSTrace.Core.Tools;

/// <summary>
/// One watch tool: what it asks of the kernel (<see cref="Configure"/>) and how it turns the events that
/// come back into its records (<see cref="Correlate"/>). Sessions.LiveSession runs it live, Sessions.SavedWatch over a saved trace.
/// </summary>
public abstract class TraceWatcher
{
    /// <summary>What the tool reads, as chosen from what the kernel offers; set by <see cref="Configure"/>.</summary>
    public string Backend { get; protected set; } = "";

    /// <summary>
    /// False when the kernel's per-instance pid filter (set_event_pid) would drop events the tool needs,
    /// such as block completions, which run in interrupt context on behalf of whoever was interrupted.
    /// The tool then filters processes itself.
    /// </summary>
    public virtual bool UsesKernelProcessFilter => true;

    /// <summary>
    /// How often the tool needs time to move when no event arrives (to close a window); null when never.
    /// A marker is then written into the buffer at that interval.
    /// </summary>
    public virtual TimeSpan? Heartbeat => null;

    /// <summary>Enables the events and creates the probes the tool reads, in the session's instance.</summary>
    public abstract void Configure(WatchSetup setup);

    /// <summary>
    /// Turns events (TraceEvent, TraceLostEvents) into records, in order, lazily. Lost-event records are
    /// passed on; WatchNotice objects carry what the person watching should be told. When the input ends,
    /// what is still pending and can be written is written.
    /// </summary>
    public abstract IEnumerable<object> Correlate(IEnumerable<object> events);
}
