using PSTrace.Core.Native;

namespace PSTrace.Core.Text;

/// <summary>
/// A named pipe read to its end, as `cat` would, except that a cancellation stops the wait: the pipe is
/// opened non-blocking (an open for reading would otherwise block until a writer comes) and each read
/// waits in poll(2) for a tenth of a second at a time, looking at the token in between.
/// </summary>
internal sealed class FifoStream : Stream
{
    private const int PollMilliseconds = 100;
    private readonly SafeFileDescriptor _fd;
    private readonly string _path;
    private readonly CancellationToken _token;

    public FifoStream(string path, CancellationToken token)
    {
        _path = path;
        _token = token;
        _fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NONBLOCK);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Bytes as the writer sends them; 0 once a writer has come and closed the pipe.</summary>
    /// <exception cref="OperationCanceledException">The token fired while waiting.</exception>
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            _token.ThrowIfCancellationRequested();

            // Until a writer has opened the pipe, poll reports nothing (and read would report an end): wait.
            if (!Libc.PollIn(_fd, PollMilliseconds, _path))
            {
                continue;
            }

            int n = Libc.Read(_fd, buffer, _path);
            if (n >= 0)
            {
                return n;
            }
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fd.Dispose();
        }

        base.Dispose(disposing);
    }
}
