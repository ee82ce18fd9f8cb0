namespace PSTrace.Core.Tools.Counting;

/// <summary>What Measure-TraceEvent counts per (-GroupBy): one or more of these.</summary>
public enum EventCountField
{
    /// <summary>The event (system:name).</summary>
    Event,

    /// <summary>The process (thread group id).</summary>
    ProcessId,

    /// <summary>The command name (comm) of the thread the event fired in.</summary>
    Command,
}
