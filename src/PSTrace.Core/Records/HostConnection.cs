using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>A connect() a process made to an address a host lookup returned.</summary>
public sealed class HostConnection
{
    public HostConnection(DateTime? timestamp, ulong timestampNanoseconds, int threadId, int fileDescriptor, string address, int port, long? returnValue, string? error)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ThreadId = threadId;
        FileDescriptor = fileDescriptor;
        Address = address;
        Port = port;
        ReturnValue = returnValue;
        Error = error;
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

    public int ThreadId { get; }

    public int FileDescriptor { get; }

    public string Address { get; }

    public int Port { get; }

    /// <summary>What connect returned; null when its return was not seen.</summary>
    public long? ReturnValue { get; }

    /// <summary>The errno name of a failed connect (ECONNREFUSED; EINPROGRESS for a non-blocking socket).</summary>
    public string? Error { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Address.Contains(':', StringComparison.Ordinal) ? "[" + Address + "]" : Address)}:{Port}{(Error is null ? "" : " " + Error)}");
}
