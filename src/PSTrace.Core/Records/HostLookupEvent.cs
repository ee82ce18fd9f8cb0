using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One host name lookup (getaddrinfo), like gethostlatency, with the addresses it returned and the
/// connections the process then made to them: which host name a connection was for.
/// </summary>
public sealed class HostLookupEvent : IWatchRecord
{
    public HostLookupEvent(DateTime? timestamp, ulong timestampNanoseconds, int processId, int threadId, string command, string? host, string? service,
        ulong? latencyNanoseconds, int? returnValue, IReadOnlyList<string>? result, bool resultTruncated, IReadOnlyList<HostConnection> connections)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ProcessId = processId;
        ThreadId = threadId;
        Command = command;
        Host = host;
        Service = service;
        LatencyNanoseconds = latencyNanoseconds;
        ReturnValue = returnValue;
        Error = returnValue is int r && r != 0 ? HostLookupErrors.NameOf(r) : null;
        Result = result?.ToArray();
        ResultTruncated = resultTruncated;
        Connections = connections.ToArray();
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

    public int ThreadId { get; }

    public string Command { get; }

    /// <summary>The name looked up; null when the caller passed none.</summary>
    public string? Host { get; }

    /// <summary>The service (port name or number) looked up with it, if any.</summary>
    public string? Service { get; }

    /// <summary>How long getaddrinfo took; null when its return was not seen.</summary>
    public TimeSpan? Latency => LatencyNanoseconds is ulong ns ? TimeSpan.FromTicks((long)(ns / 100)) : null;

    public ulong? LatencyNanoseconds { get; }

    /// <summary>getaddrinfo's return: 0, or an EAI_* code.</summary>
    public int? ReturnValue { get; }

    /// <summary>The EAI_* name of a failed lookup.</summary>
    public string? Error { get; }

    /// <summary>The distinct addresses returned, in order; null when the process did not hand the list back to freeaddrinfo in time for the trace to read it.</summary>
    public string[]? Result { get; }

    /// <summary>True when the list had more entries than the trace reads.</summary>
    public bool ResultTruncated { get; }

    /// <summary>connect() calls the process made to one of those addresses after the lookup.</summary>
    public HostConnection[] Connections { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ProcessId} {Command} {(LatencyNanoseconds is ulong ns ? (ns / 1e6).ToString("0.00", CultureInfo.InvariantCulture) : "?")} {Host} {string.Join(",", Result ?? [])} -> {string.Join(", ", Connections.Select(c => c.ToString()))}");
}
