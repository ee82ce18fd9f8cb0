namespace PSTrace.Core.Text;

/// <summary>What one line of trace or trace_pipe text is.</summary>
internal enum TraceLineKind
{
    /// <summary>Empty or spaces only.</summary>
    Blank,

    /// <summary>A '#' header or comment line, nothing to report.</summary>
    Comment,

    /// <summary>"# entries-in-buffer/entries-written: A/B   #P:N": B - A events were overwritten.</summary>
    EntriesHeader,

    /// <summary>A prefixed event line.</summary>
    Event,

    /// <summary>A prefixed "&lt;stack trace&gt;" or "&lt;user stack trace&gt;" line; " => " frames follow.</summary>
    StackStart,

    /// <summary>" => frame".</summary>
    StackFrame,

    /// <summary>"CPU:N [LOST N EVENTS]" or "CPU:N [LOST EVENTS]".</summary>
    Lost,

    /// <summary>"##### CPU N buffer started ####" (the annotate option, after the buffer overran).</summary>
    BufferStarted,

    /// <summary>Anything else: kept, never dropped.</summary>
    Unknown,
}
