namespace PSTrace.Core.Tools.BlockIo;

/// <summary>A request between insert/issue and completion, with the task it is attributed to.</summary>
internal sealed class PendingRequest
{
    public ulong? InsertNanoseconds { get; init; }

    public ulong? IssueNanoseconds { get; set; }

    public int ThreadId { get; init; }

    public int ProcessId { get; init; }

    public string? Command { get; init; }

    public string Operation { get; init; } = "";

    public long Bytes { get; init; }
}
