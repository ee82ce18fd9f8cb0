using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>A line typed at a shell's prompt (what readline returned), like bcc's bashreadline.</summary>
public sealed class ReadlineEvent : IWatchRecord
{
    public ReadlineEvent(DateTime? timestamp, ulong timestampNanoseconds, int processId, string command, string line)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ProcessId = processId;
        Command = command;
        Line = line;
    }

    /// <summary>
    /// The wall-clock time (local kind): the kernel's timestamp plus the offset between CLOCK_MONOTONIC and
    /// the real-time clock read when the session started, so records of several machines sort together.
    /// Null for a saved trace that does not say when its clock was zero.
    /// </summary>
    public DateTime? Time { get; }

    /// <summary>The kernel's timestamp in seconds (CLOCK_MONOTONIC, to the nanosecond): exact, and whole in Export-Csv.</summary>
    public decimal Timestamp => TimestampNanoseconds / 1_000_000_000m;

    public ulong TimestampNanoseconds { get; }

    public int ProcessId { get; }

    public string Command { get; }

    public string Line { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Time:HH:mm:ss} {ProcessId} {Line}");
}
