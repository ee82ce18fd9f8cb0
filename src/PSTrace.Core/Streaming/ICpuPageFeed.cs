namespace PSTrace.Core.Streaming;

/// <summary>
/// The pages of one CPU's buffer as they are read, for the merge. Besides the pages it says how far
/// the reader has caught up: once it has found the CPU's buffer empty at time T, every record that
/// CPU committed before T is among the pages already handed over.
/// </summary>
internal interface ICpuPageFeed
{
    int Cpu { get; }

    /// <summary>The next page read, if there is one now; never waits.</summary>
    bool TryTake(out CapturedPage page);

    /// <summary>Gives a page taken with <see cref="TryTake"/> back for reuse.</summary>
    void Return(byte[] page);

    /// <summary>When (Stopwatch ticks) the last read that found the buffer empty began; long.MinValue before any.</summary>
    long CaughtUpTicks { get; }

    /// <summary>No more pages will come (the reader stopped or failed).</summary>
    bool IsFinished { get; }

    /// <summary>Why the reader stopped early; null when it did not fail.</summary>
    Exception? Error { get; }
}
