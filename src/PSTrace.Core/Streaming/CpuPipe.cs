using System.Diagnostics;
using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// One CPU's per_cpu/cpuN/trace_pipe_raw, read on the merge's own thread: taking a page is a
/// non-blocking read of a whole page. A read that finds the buffer empty marks the CPU as caught up.
/// An empty CPU is read again only when some CPU has read a page since (or after a wait), so an idle
/// CPU costs one read per page of a busy one, not one per record.
/// </summary>
internal sealed class CpuPipe : ICpuPageFeed, IDisposable
{
    private readonly CpuPipeSet _set;
    private readonly string _path;
    private readonly int _pageSize;
    private readonly Action<int, byte[]>? _tee;
    private readonly Stack<byte[]> _free = new();
    private long _caughtUp = long.MinValue;

    /// <param name="tee">Sees every page as read, before the merge does (to save them); the array is reused once it returns.</param>
    public CpuPipe(CpuPipeSet set, TraceBuffer buffer, int cpu, int pageSize, Action<int, byte[]>? tee)
    {
        _set = set;
        Cpu = cpu;
        _pageSize = pageSize;
        _tee = tee;
        _path = PathOf(buffer, cpu);
        try
        {
            Descriptor = Libc.Open(_path, Libc.O_RDONLY | Libc.O_NONBLOCK);
        }
        catch (NativeException e)
        {
            throw new TraceException(e.Errno is Errno.EACCES or Errno.EPERM ? TraceErrorKind.PermissionDenied : TraceErrorKind.NotFound,
                "TracePipeOpenFailed", $"Cannot open {_path}: {e.ErrorText}.", Prerequisites.RootFix, _path, e);
        }
    }

    public static string PathOf(TraceBuffer buffer, int cpu) => buffer.PathOf(Path.Combine("per_cpu", "cpu" + cpu, "trace_pipe_raw"));

    public int Cpu { get; }

    public SafeFileDescriptor Descriptor { get; }

    public long CaughtUpTicks => _caughtUp;

    public bool IsFinished => Error is not null;

    public Exception? Error { get; private set; }

    public long PagesRead { get; private set; }

    public bool TryTake(out CapturedPage page)
    {
        page = default;
        if (Error is not null || _caughtUp >= _set.NewsTicks)
        {
            // Found empty after the last page any CPU read: nothing it commits now can be earlier than what waits.
            return false;
        }

        byte[] buffer = _free.Count > 0 ? _free.Pop() : new byte[_pageSize];
        long before = Stopwatch.GetTimestamp();
        int n;
        try
        {
            n = Libc.Read(Descriptor, buffer, _path);
        }
        catch (NativeException e)
        {
            // The merge rethrows it with the CPU named.
            Error = e;
            _free.Push(buffer);
            return false;
        }

        if (n <= 0)
        {
            _free.Push(buffer);
            _caughtUp = before;
            return false;
        }

        if (n < _pageSize)
        {
            Array.Clear(buffer, n, _pageSize - n);
        }

        _tee?.Invoke(Cpu, buffer);
        long now = Stopwatch.GetTimestamp();
        _set.NoteNews(now);
        PagesRead++;
        page = new CapturedPage(buffer, now);
        return true;
    }

    public void Return(byte[] page) => _free.Push(page);

    /// <summary>Closes the pipe (the kernel removes an instance only when no pipe is open).</summary>
    public void Dispose() => Descriptor.Dispose();
}
