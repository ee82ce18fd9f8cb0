using System.Text;
using PSTrace.Core.Native;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// Reads a buffer's trace_pipe as lines, consuming them, until cancelled. Non-blocking with poll(2),
/// so a cancellation (Ctrl+C, a pipeline stopped early) is seen within a fraction of a second
/// instead of waiting for the next event.
/// </summary>
public sealed class TracePipeReader : IDisposable
{
    private const int PollMilliseconds = 100;
    private readonly SafeFileDescriptor _fd;
    private readonly string _path;

    public TracePipeReader(TraceBuffer buffer)
    {
        _path = buffer.PathOf("trace_pipe");
        try
        {
            _fd = Libc.Open(_path, Libc.O_RDONLY | Libc.O_NONBLOCK);
        }
        catch (NativeException e)
        {
            throw new TraceException(e.Errno == Errno.EACCES || e.Errno == Errno.EPERM ? TraceErrorKind.PermissionDenied : TraceErrorKind.NotFound,
                "TracePipeOpenFailed", $"Cannot open {_path}: {e.ErrorText}.", Prerequisites.RootFix, _path, e);
        }
    }

    /// <summary>
    /// While <see cref="ReadLines"/> is at a line: the first byte of the next line when that line is already
    /// read whole (taking it will not wait), else -1.
    /// </summary>
    public int NextLineStart { get; private set; } = -1;

    /// <summary>
    /// Lines as the kernel writes them, without the newline; ends when <paramref name="cancel"/> fires, or,
    /// once <paramref name="drain"/> has fired (the writer stopped: tracing_on is 0), when the pipe has nothing left.
    /// </summary>
    public IEnumerable<string> ReadLines(CancellationToken cancel, CancellationToken drain = default)
    {
        byte[] buffer = new byte[64 * 1024];
        var pending = new List<byte>(4096);
        while (!cancel.IsCancellationRequested)
        {
            bool draining = drain.IsCancellationRequested;
            if (!Libc.PollIn(_fd, PollMilliseconds, _path))
            {
                if (draining)
                {
                    break;
                }

                continue;
            }

            int n = Libc.Read(_fd, buffer, _path);
            if (n <= 0)
            {
                if (draining)
                {
                    break;
                }

                continue;
            }

            int start = 0;
            int newline = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            while (newline >= 0)
            {
                int next = buffer.AsSpan(newline + 1, n - newline - 1).IndexOf((byte)'\n');
                NextLineStart = next < 0 ? -1 : buffer[newline + 1];
                string line = Take(pending, buffer.AsSpan(start, newline - start));
                start = newline + 1;
                newline = next < 0 ? -1 : start + next;
                yield return line;
            }

            pending.AddRange(buffer.AsSpan(start, n - start));
        }

        NextLineStart = -1;
        if (pending.Count > 0 && !cancel.IsCancellationRequested)
        {
            yield return Take(pending, default);
        }
    }

    private static string Take(List<byte> pending, ReadOnlySpan<byte> tail)
    {
        if (pending.Count == 0)
        {
            return Encoding.UTF8.GetString(tail);
        }

        pending.AddRange(tail);
        string s = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending));
        pending.Clear();
        return s;
    }

    public void Dispose() => _fd.Dispose();
}
