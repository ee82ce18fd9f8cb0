namespace PSTrace.Core.Records;

/// <summary>A record a watch tool writes: the process it belongs to, for the filters every tool shares.</summary>
public interface IWatchRecord
{
    /// <summary>The process (thread group id).</summary>
    int ProcessId { get; }

    /// <summary>The command name (comm) the record is about; null when unknown.</summary>
    string? Command { get; }
}
