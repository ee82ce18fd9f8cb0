namespace PSTrace.Core.Streaming;

/// <summary>One ring-buffer page as read from a CPU's trace_pipe_raw, and when it was read (Stopwatch ticks).</summary>
/// <param name="Buffer">Exactly one page; owned by the feed, handed back with <see cref="ICpuPageFeed.Return"/>.</param>
/// <param name="ReadTicks">When the read returned: every record in the page was committed before then.</param>
internal readonly record struct CapturedPage(byte[] Buffer, long ReadTicks);
