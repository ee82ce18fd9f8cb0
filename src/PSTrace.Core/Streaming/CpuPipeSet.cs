using System.Diagnostics;
using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Every CPU's trace_pipe_raw of a buffer, read from one thread: the merge takes pages as it needs
/// them, and when every CPU is empty one poll(2) waits on all the pipes at once. With two CPUs and a
/// pipeline thread, a reader thread per CPU competed with the pipeline for the CPUs; one thread does not.
/// </summary>
/// <remarks>
/// poll wakes when a buffer is buffer_percent full (half, by default), so the wait is short and the
/// pipes are read again after it whatever poll said: a trickle of events is seen within one wait.
/// </remarks>
internal sealed class CpuPipeSet : IPageWait, IDisposable
{
    private readonly List<CpuPipe> _pipes = new();
    private readonly SafeFileDescriptor[] _descriptors;
    private readonly string _name;

    public CpuPipeSet(TraceBuffer buffer, IReadOnlyList<int> cpus, int pageSize, Action<int, byte[]>? tee)
    {
        _name = buffer.PathOf("per_cpu");
        try
        {
            foreach (int cpu in cpus)
            {
                _pipes.Add(new CpuPipe(this, buffer, cpu, pageSize, tee));
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _descriptors = _pipes.Select(p => p.Descriptor).ToArray();
    }

    public IReadOnlyList<CpuPipe> Pipes => _pipes;

    /// <summary>
    /// When (Stopwatch ticks) a page was last read or a wait last ended: a CPU found empty before then
    /// is read again.
    /// </summary>
    public long NewsTicks { get; private set; } = Stopwatch.GetTimestamp();

    public long PagesRead => _pipes.Sum(p => p.PagesRead);

    public void NoteNews(long ticks) => NewsTicks = ticks;

    public void Wait(int milliseconds)
    {
        Libc.PollAnyIn(_descriptors, milliseconds, _name);
        NewsTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Nothing to wait for: the merge's next look reads the CPUs that are behind, on this thread.</summary>
    public void WaitForCatchUp(int milliseconds)
    {
    }

    public void Dispose()
    {
        foreach (CpuPipe p in _pipes)
        {
            p.Dispose();
        }
    }
}
