namespace PSTrace.Core.Binary;

/// <summary>Hands out ring-buffer pages one after another, from a file region, compressed chunks or a stream.</summary>
internal abstract class PageSource : IDisposable
{
    protected PageSource(int pageSize)
    {
        PageSize = pageSize;
    }

    public int PageSize { get; }

    /// <summary>Bytes taken from the file so far (compressed bytes for compressed data), for a reader's progress.</summary>
    public long BytesRead { get; protected set; }

    /// <summary>
    /// The next page: buffer[start..start+PageSize), valid until the next call.
    /// <paramref name="origin"/> is the page's offset for error messages. False at the end.
    /// </summary>
    public abstract bool Next(out byte[] buffer, out int start, out long origin);

    public virtual void Dispose()
    {
    }
}

/// <summary>Pages read from a stream (a trace_pipe_raw file or a copy of one), a page at a time.</summary>
internal sealed class StreamPageSource : PageSource
{
    private readonly Stream _stream;
    private readonly byte[] _page;
    private long _position;

    public StreamPageSource(Stream stream, int pageSize)
        : base(pageSize)
    {
        _stream = stream;
        _page = new byte[pageSize];
    }

    public override bool Next(out byte[] buffer, out int start, out long origin)
    {
        buffer = _page;
        start = 0;
        origin = _position;
        int read = _stream.ReadAtLeast(_page, PageSize, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }

        if (read < PageSize)
        {
            throw new TraceDataException($"The page stream ends inside a page: {read} of {PageSize} bytes", _position);
        }

        _position += read;
        return true;
    }
}

/// <summary>Pages held in memory (a decompressed chunk, a byte array of pages).</summary>
internal sealed class MemoryPageSource : PageSource
{
    private readonly byte[] _data;
    private readonly int _length;
    private readonly long _origin;
    private int _position;

    public MemoryPageSource(byte[] data, int length, int pageSize, long origin)
        : base(pageSize)
    {
        _data = data;
        _length = length;
        _origin = origin;
    }

    public override bool Next(out byte[] buffer, out int start, out long origin)
    {
        buffer = _data;
        start = _position;
        origin = _origin + _position;
        if (_position >= _length)
        {
            return false;
        }

        if (_length - _position < PageSize)
        {
            throw new TraceDataException($"The data ends inside a page: {_length - _position} of {PageSize} bytes", origin);
        }

        _position += PageSize;
        return true;
    }
}
