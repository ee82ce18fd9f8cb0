using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One block I/O request from issue to completion, like a line of iosnoop/biosnoop. The process is the one
/// the request was queued or issued for (the task that inserted it, else the one that issued it); the
/// completion runs in interrupt context and tells nothing about it.
/// </summary>
public sealed class BlockIoEvent : IWatchRecord
{
    public BlockIoEvent(DateTime? timestamp, ulong timestampNanoseconds, string? command, int processId, int threadId, int major, int minor, string? device,
        string operation, ulong sector, long bytes, ulong? queueNanoseconds, ulong latencyNanoseconds, int error)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        Command = command;
        ProcessId = processId;
        ThreadId = threadId;
        Major = major;
        Minor = minor;
        Device = device;
        Operation = operation;
        Sector = sector;
        Bytes = bytes;
        QueueLatencyNanoseconds = queueNanoseconds;
        LatencyNanoseconds = latencyNanoseconds;
        Error = error == 0 ? null : ErrnoNames.NameOf(error);
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

    public string? Command { get; }

    public int ProcessId { get; }

    public int ThreadId { get; }

    public int Major { get; }

    public int Minor { get; }

    /// <summary>"MAJOR,MINOR", as the kernel prints a device.</summary>
    public string DeviceNumber => string.Create(CultureInfo.InvariantCulture, $"{Major},{Minor}");

    /// <summary>The device's name (vda, nvme0n1p2) from /sys/dev/block; null when it has none.</summary>
    public string? Device { get; }

    /// <summary>The kernel's rwbs: R read, W write, D discard, F flush, with A readahead, S sync, M metadata...</summary>
    public string Operation { get; }

    public ulong Sector { get; }

    public long Bytes { get; }

    /// <summary>From insert into the I/O scheduler to issue to the device; null when the request bypassed the scheduler.</summary>
    public TimeSpan? QueueLatency => QueueLatencyNanoseconds is ulong ns ? TimeSpan.FromTicks((long)(ns / 100)) : null;

    public ulong? QueueLatencyNanoseconds { get; }

    /// <summary>From issue to the device until completion: the device's time.</summary>
    public TimeSpan Latency => TimeSpan.FromTicks((long)(LatencyNanoseconds / 100));

    public ulong LatencyNanoseconds { get; }

    /// <summary>The errno name when the request failed; null when it succeeded.</summary>
    public string? Error { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Command ?? "?"} {ProcessId} {Device ?? DeviceNumber} {Operation} {Sector} {Bytes} {LatencyNanoseconds / 1e6:0.00}");
}
