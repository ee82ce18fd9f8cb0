using System.Collections.Concurrent;
using System.Diagnostics;
using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Reads one CPU's per_cpu/cpuN/trace_pipe_raw on a thread of its own, a whole page per read,
/// non-blocking: a read that finds the buffer empty marks the CPU as caught up, then poll(2) waits
/// (briefly, so idleness and a stop are both seen quickly). Pages go to a bounded queue; when the
/// merge falls that far behind, the reader waits (and counts it) and the kernel's buffer absorbs the
/// rest, reporting in the page headers what it had to drop.
/// </summary>
internal sealed class CpuPipeReader : ICpuPageFeed, IDisposable
{
    private const int PollMilliseconds = 20;

    private readonly SafeFileDescriptor _fd;
    private readonly string _path;
    private readonly int _pageSize;
    private readonly ConcurrentQueue<CapturedPage> _pages = new();
    private readonly ConcurrentBag<byte[]> _free = new();
    private readonly SemaphoreSlim _space;
    private readonly Action _signal;
    private readonly Action<int, byte[]>? _tee;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _caughtUp = long.MinValue;
    private long _waits;
    private long _pagesRead;
    private volatile bool _finished;

    /// <param name="capacity">Pages the queue holds before the reader waits for the merge.</param>
    /// <param name="signal">Called whenever there is something new for the merge: a page, a caught-up mark, the end.</param>
    /// <param name="tee">Sees every page as read, on the reader's thread, before the merge does (to save them).</param>
    public CpuPipeReader(TraceBuffer buffer, int cpu, int pageSize, int capacity, Action signal, Action<int, byte[]>? tee = null)
    {
        Cpu = cpu;
        _pageSize = pageSize;
        _signal = signal;
        _tee = tee;
        _space = new SemaphoreSlim(capacity, capacity);
        _path = PathOf(buffer, cpu);
        try
        {
            _fd = Libc.Open(_path, Libc.O_RDONLY | Libc.O_NONBLOCK);
        }
        catch (NativeException e)
        {
            throw new TraceException(e.Errno is Errno.EACCES or Errno.EPERM ? TraceErrorKind.PermissionDenied : TraceErrorKind.NotFound,
                "TracePipeOpenFailed", $"Cannot open {_path}: {e.ErrorText}.", Prerequisites.RootFix, _path, e);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"PSTrace cpu{cpu} reader" };
    }

    public static string PathOf(TraceBuffer buffer, int cpu) => buffer.PathOf(Path.Combine("per_cpu", "cpu" + cpu, "trace_pipe_raw"));

    public int Cpu { get; }

    public long CaughtUpTicks => Volatile.Read(ref _caughtUp);

    public bool IsFinished => _finished;

    public Exception? Error { get; private set; }

    /// <summary>Times the queue was full and the reader had to wait for the merge.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    public long PagesRead => Interlocked.Read(ref _pagesRead);

    public void Start() => _thread.Start();

    public bool TryTake(out CapturedPage page) => _pages.TryDequeue(out page);

    public void Return(byte[] page)
    {
        _free.Add(page);
        _space.Release();
    }

    private void Run()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            byte[]? page = null;
            while (!stop.IsCancellationRequested)
            {
                if (!_space.Wait(0))
                {
                    Interlocked.Increment(ref _waits);
                    _space.Wait(stop);
                }

                page ??= _free.TryTake(out byte[]? reused) ? reused : new byte[_pageSize];
                long before = Stopwatch.GetTimestamp();
                int n = Libc.Read(_fd, page, _path);
                if (n > 0)
                {
                    if (n < _pageSize)
                    {
                        Array.Clear(page, n, _pageSize - n);
                    }

                    _tee?.Invoke(Cpu, page);
                    _pages.Enqueue(new CapturedPage(page, Stopwatch.GetTimestamp()));
                    Interlocked.Increment(ref _pagesRead);
                    page = null;
                    _signal();
                    continue;
                }

                // Nothing to read: every record committed before `before` has been handed over.
                _space.Release();
                Volatile.Write(ref _caughtUp, before);
                _signal();
                Libc.PollIn(_fd, PollMilliseconds, _path);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // Kept for the merge, which rethrows it: an exception on this thread would end the process.
            Error = e;
        }
        finally
        {
            _finished = true;
            _signal();
        }
    }

    /// <summary>Stops the thread and closes the pipe (the kernel removes an instance only when no pipe is open).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.ThreadState != System.Threading.ThreadState.Unstarted)
        {
            _thread.Join();
        }

        _fd.Dispose();
        _stop.Dispose();
        _space.Dispose();
    }
}
