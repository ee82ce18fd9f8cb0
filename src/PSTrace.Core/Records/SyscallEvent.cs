using System.Globalization;
using System.Text;

namespace PSTrace.Core.Records;

/// <summary>
/// One system call that completed: its arguments by name (typed by the syscall's format), what it returned,
/// and how long it took. A call that never returns (exit, exit_group) has no ReturnValue or Duration.
/// </summary>
public sealed class SyscallEvent : IWatchRecord
{
    public SyscallEvent(DateTime? timestamp, ulong timestampNanoseconds, int processId, int threadId, string command, string name,
        IReadOnlyDictionary<string, object?> arguments, long? returnValue, ulong? durationNanoseconds)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ProcessId = processId;
        ThreadId = threadId;
        Command = command;
        Name = name;
        Arguments = arguments;
        ReturnValue = returnValue;
        Error = returnValue is long r ? ErrnoNames.FromReturnValue(r) : null;
        DurationNanoseconds = durationNanoseconds;
    }

    /// <summary>
    /// The wall-clock time (local kind): the kernel's timestamp plus the offset between CLOCK_MONOTONIC and
    /// the real-time clock read when the session started, so records of several machines sort together.
    /// Null for a saved trace that does not say when its clock was zero.
    /// </summary>
    public DateTime? Time { get; }

    /// <summary>The kernel's timestamp in seconds (CLOCK_MONOTONIC, to the nanosecond): exact, and whole in Export-Csv.</summary>
    public decimal Timestamp => TimestampNanoseconds / 1_000_000_000m;

    /// <summary>The kernel's timestamp of the entry (CLOCK_MONOTONIC, nanoseconds).</summary>
    public ulong TimestampNanoseconds { get; }

    public int ProcessId { get; }

    public int ThreadId { get; }

    public string Command { get; }

    /// <summary>The system call (openat, read, ...).</summary>
    public string Name { get; }

    /// <summary>Arguments by the names the kernel gives them, in order: numbers as long (typed by their C type), pointers as ulong; AT_FDCWD and open flags by name.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    /// <summary>What the call returned; null for a call that does not return.</summary>
    public long? ReturnValue { get; }

    /// <summary>The errno name when the call failed.</summary>
    public string? Error { get; }

    /// <summary>From entry to return; null for a call that does not return.</summary>
    public TimeSpan? Duration => DurationNanoseconds is ulong ns ? TimeSpan.FromTicks((long)(ns / 100)) : null;

    public ulong? DurationNanoseconds { get; }

    /// <summary>The call the way strace prints it: openat(dfd=AT_FDCWD, filename=0x7ffd..., flags=O_RDONLY, mode=0) = 3.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Name).Append('(');
        bool first = true;
        foreach ((string key, object? value) in Arguments)
        {
            sb.Append(first ? "" : ", ").Append(key).Append('=').Append(SyscallArguments.Format(value));
            first = false;
        }

        sb.Append(") = ");
        sb.Append(ReturnValue is long r ? (Error is { } e ? string.Create(CultureInfo.InvariantCulture, $"-1 {e}") : SyscallArguments.FormatReturn(Name, r)) : "?");
        return sb.ToString();
    }
}
