using PSTrace.Core.Binary;

namespace PSTrace.Core.Streaming;

/// <summary>
/// A CPU's live pages as a <see cref="PageSource"/>, so the record walker that reads trace.dat reads
/// them too. Next never waits: it answers false when no page has arrived yet, and a later call picks up
/// the next one. The page before is handed back to the feed once the walker has moved past it.
/// </summary>
internal sealed class FeedPageSource : PageSource
{
    private readonly ICpuPageFeed _feed;
    private byte[]? _current;
    private long _origin;

    public FeedPageSource(ICpuPageFeed feed, int pageSize)
        : base(pageSize)
    {
        _feed = feed;
    }

    /// <summary>When the page being walked was read (Stopwatch ticks).</summary>
    public long CurrentReadTicks { get; private set; }

    public override bool Next(out byte[] buffer, out int start, out long origin)
    {
        start = 0;
        if (!_feed.TryTake(out CapturedPage page))
        {
            buffer = _current ?? [];
            origin = _origin;
            return false;
        }

        if (_current is not null)
        {
            _feed.Return(_current);
            _origin += PageSize;
        }

        _current = page.Buffer;
        CurrentReadTicks = page.ReadTicks;
        buffer = _current;
        origin = _origin;
        return true;
    }
}
