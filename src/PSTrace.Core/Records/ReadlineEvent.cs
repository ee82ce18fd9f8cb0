using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>A line typed at a shell's prompt (what readline returned), like bcc's bashreadline.</summary>
public sealed class ReadlineEvent : IWatchRecord
{
    public ReadlineEvent(DateTime timestamp, ulong timestampNanoseconds, int processId, string command, string line)
    {
        Timestamp = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ProcessId = processId;
        Command = command;
        Line = line;
    }

    /// <summary>When readline returned the line (Enter was pressed).</summary>
    public DateTime Timestamp { get; }

    public ulong TimestampNanoseconds { get; }

    public int ProcessId { get; }

    public string Command { get; }

    public string Line { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Timestamp:HH:mm:ss} {ProcessId} {Line}");
}
