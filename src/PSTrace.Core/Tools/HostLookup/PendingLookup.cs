using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.HostLookup;

/// <summary>A lookup between its start and the moment it is written: its return, its addresses, and the connections to them.</summary>
internal sealed class PendingLookup
{
    public required ulong StartNanoseconds { get; init; }

    public required int ProcessId { get; init; }

    public required int ThreadId { get; init; }

    public required string Command { get; init; }

    public string? Host { get; init; }

    public string? Service { get; init; }

    public ulong? ReturnNanoseconds { get; set; }

    public int? ReturnValue { get; set; }

    public List<string>? Result { get; set; }

    public bool ResultTruncated { get; set; }

    public List<HostConnection> Connections { get; } = new();
}
