using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One event read from a trace buffer or a saved trace: the common header every
/// event carries (time, CPU, task) plus the event's own fields, typed by its format.
/// </summary>
public sealed class TraceEvent
{
    private readonly IEventBodySource? _bodySource;
    private string? _body;

    public TraceEvent(
        ulong timestampNanoseconds,
        int cpu,
        int processId,
        int? threadGroupId,
        string command,
        string flags,
        string system,
        string name,
        IReadOnlyDictionary<string, object?> fields,
        string body,
        string? line)
        : this(timestampNanoseconds, cpu, processId, threadGroupId, command, flags, system, name, fields)
    {
        _body = body;
        Line = line;
    }

    /// <summary>
    /// For decoders whose fields can render the body themselves: the text is made only when
    /// someone reads <see cref="Body"/>, so decoding does not pay for a string per event.
    /// </summary>
    internal TraceEvent(
        ulong timestampNanoseconds,
        int cpu,
        int processId,
        int? threadGroupId,
        string command,
        string flags,
        string system,
        string name,
        IReadOnlyDictionary<string, object?> fields,
        IEventBodySource bodySource)
        : this(timestampNanoseconds, cpu, processId, threadGroupId, command, flags, system, name, fields)
    {
        _bodySource = bodySource;
    }

    private TraceEvent(ulong timestampNanoseconds, int cpu, int processId, int? threadGroupId, string command, string flags, string system, string name, IReadOnlyDictionary<string, object?> fields)
    {
        TimestampNanoseconds = timestampNanoseconds;
        Cpu = cpu;
        ProcessId = processId;
        ThreadGroupId = threadGroupId;
        Command = command;
        Flags = flags;
        System = system;
        Name = name;
        Fields = fields;
    }

    /// <summary>Time of the event in the trace clock, in seconds (the kernel's own column).</summary>
    public decimal Timestamp => TimestampNanoseconds / 1_000_000_000m;

    /// <summary>Time of the event in the trace clock, in nanoseconds (exact on the binary path; microseconds on the text path).</summary>
    public ulong TimestampNanoseconds { get; }

    /// <summary>
    /// The wall-clock time (local kind) of an event read live by a session of Get-TraceEvent: the trace
    /// clock (mono) plus its offset from the real-time clock, read when the session started. Null where the
    /// trace's clock has no known relation to wall-clock time (a saved file, another's instance).
    /// </summary>
    public DateTime? Time => _clock?.ToDateTime(TimestampNanoseconds);

    // The session's clock rather than the time itself: one shared reference per event instead of a
    // 16-byte DateTime? in each of millions of events, most of which nobody asks the time of.
    private Tracefs.TraceClock? _clock;

    /// <summary>Gives the event the clock its <see cref="Time"/> is read from.</summary>
    internal void SetClock(Tracefs.TraceClock clock) => _clock = clock;

    public int Cpu { get; }

    /// <summary>The kernel's pid of the task: a thread id. The process is <see cref="ThreadGroupId"/> when known.</summary>
    public int ProcessId { get; }

    /// <summary>The thread group (user-space process id), when the trace recorded it (record-tgid, binary path).</summary>
    public int? ThreadGroupId { get; }

    /// <summary>The task's comm; "&lt;...&gt;" when the kernel had not cached it.</summary>
    public string Command { get; }

    /// <summary>The latency flag columns (irqs-off, need-resched, hardirq/softirq, preempt depth, migrate-disable).</summary>
    public string Flags { get; }

    /// <summary>The event's system (sched, syscalls, uprobes, ...); empty when the line did not say.</summary>
    public string System { get; }

    public string Name { get; }

    /// <summary>The event's own fields by name, typed from its format file; empty when the body could not be decoded.</summary>
    public IReadOnlyDictionary<string, object?> Fields { get; }

    /// <summary>The event's text as the kernel printed it (after "name: "); from binary sources, the fields as "name=value ...".</summary>
    public string Body => _body ??= _bodySource?.RenderBody() ?? "";

    /// <summary>The whole line as read, for text sources.</summary>
    public string? Line { get; }

    public string FullName => System.Length == 0 ? Name : System + ":" + Name;

    /// <summary>The kernel's own line layout; a line that was not trace output (Cpu -1) shows as it was read.</summary>
    public override string ToString() => Cpu < 0 ? Body : string.Create(CultureInfo.InvariantCulture,
        $"{Command}-{ProcessId} [{Cpu:000}] {FormatSeconds(TimestampNanoseconds)}: {Name}: {Body}");

    /// <summary>Seconds with six decimals, the way the kernel prints a timestamp.</summary>
    public static string FormatSeconds(ulong nanoseconds) => string.Create(CultureInfo.InvariantCulture,
        $"{nanoseconds / 1_000_000_000}.{nanoseconds % 1_000_000_000 / 1000:000000}");
}

/// <summary>Something that can write an event's body text on demand (see the lazy TraceEvent constructor).</summary>
internal interface IEventBodySource
{
    string RenderBody();
}
