using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>A connect() a process made to an address a host lookup returned.</summary>
public sealed class HostConnection
{
    public HostConnection(DateTime timestamp, ulong timestampNanoseconds, int threadId, int fileDescriptor, string address, int port, long? returnValue, string? error)
    {
        Timestamp = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ThreadId = threadId;
        FileDescriptor = fileDescriptor;
        Address = address;
        Port = port;
        ReturnValue = returnValue;
        Error = error;
    }

    public DateTime Timestamp { get; }

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
