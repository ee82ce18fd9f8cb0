using PSTrace.Core.Bpf;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// A watch tool whose events come from one of PSTrace's BPF programs rather than tracefs: which program and which
/// of its functions to attach, and how its ring-buffer records become <see cref="TraceEvent"/>s. The records then
/// go through <see cref="TraceWatcher.Correlate"/> as tracefs events do. Sessions.LiveSession runs it.
/// </summary>
public abstract class BpfWatcher : TraceWatcher
{
    /// <summary>The ring buffer map every PSTrace program writes its records to.</summary>
    public const string RingMap = "pstrace_events";

    /// <summary>The per-CPU map of records the ring buffer had no room for.</summary>
    public const string LossMap = "pstrace_lost";

    /// <summary>
    /// Turns the programs' timestamps (bpf_ktime_get_ns: CLOCK_MONOTONIC, the clock of a tracefs watch's "mono") into
    /// wall-clock times; set when the session starts.
    /// </summary>
    public TraceClock Clock { get; set; } = TraceClock.Unknown;

    /// <summary>The module's program (Bpf/Programs/NAME.bpf.c).</summary>
    public abstract string ProgramFile { get; }

    /// <summary>The program's functions to attach, each where its section says.</summary>
    public abstract IReadOnlyList<string> Programs { get; }

    /// <summary>
    /// Loads and attaches the program. Processes are filtered in the kernel, set before the programs are attached;
    /// children are followed there too. A tool that counts in the kernel writes its own settings and processes.
    /// </summary>
    public virtual BpfObject Load(WatchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        bool follow = filter.HasProcesses && filter.IncludeChildren;
        return BpfObject.Load(ProgramFile, follow ? Programs.Append(BpfProcessScope.FollowProgram) : Programs,
            o => BpfProcessScope.Apply(o, filter.ProcessIds.ToList(), filter.IncludeChildren), notLoaded: follow ? [] : [BpfProcessScope.FollowProgram]);
    }

    /// <summary>One ring-buffer record as an event; null for a record to skip.</summary>
    public abstract TraceEvent? Decode(byte[] record);

    /// <summary>A BPF tool asks nothing of tracefs.</summary>
    public sealed override void Configure(WatchSetup setup) =>
        throw new NotSupportedException($"{GetType().Name} reads a BPF program; it has no tracefs set-up (a saved trace is read by the tool's tracefs twin).");
}
