namespace PSTrace.Core.Pictures;

/// <summary>
/// The timeline's tracks and their names: a process per traced process with a track per thread (named from the
/// comms the records carry, as "M" metadata the first time a track is used and again when its name changes), and
/// one process "CPUs" with a track per CPU. Holds a name per thread seen, never the events.
/// </summary>
public sealed class TimelineTracks
{
    /// <summary>
    /// The CPUs' process id: one above the largest pid a kernel can hand out (pid_max is at most 2^22), so it is
    /// never a real process's, and its track ids (this plus 1 plus the CPU) are no real thread's either.
    /// </summary>
    public const int CpuProcessId = 4 * 1024 * 1024;

    /// <summary>Added to a CPU's track id for the calls of a function_graph trace that did not say which task made them.</summary>
    public const int CpuCallsOffset = 1 << 16;

    private readonly TimelineJsonWriter _writer;
    private readonly Dictionary<int, string> _threadNames = new();
    private readonly Dictionary<int, int> _processOfThread = new();
    private readonly Dictionary<int, string> _processNames = new();
    private readonly HashSet<int> _cpusNamed = new();

    public TimelineTracks(TimelineJsonWriter writer)
    {
        _writer = writer;
    }

    /// <summary>The track of a CPU on the CPUs' process, named "CPU n" on first use.</summary>
    public int CpuTrack(int cpu)
    {
        NameCpu(cpu);
        return CpuProcessId + 1 + cpu;
    }

    /// <summary>The track of a CPU's function calls whose task is unknown, named "CPU n calls" on first use.</summary>
    public int CpuCallsTrack(int cpu)
    {
        NameCpu(cpu);
        int track = CpuProcessId + 1 + CpuCallsOffset + cpu;
        if (_threadNames.TryAdd(track, "calls"))
        {
            _writer.Metadata("thread_name", CpuProcessId, track, "name", $"CPU {cpu} calls");
            _writer.Metadata("thread_sort_index", CpuProcessId, track, "sort_index", CpuCallsOffset + cpu);
        }

        return track;
    }

    /// <summary>The process a thread belongs to, as far as the records so far said; the thread itself when none did.</summary>
    public int ProcessOf(int threadId) => _processOfThread.TryGetValue(threadId, out int process) ? process : threadId;

    /// <summary>Notes a thread about to get an event on its track: its process and comm become metadata when new or changed.</summary>
    public void Use(int processId, int threadId, string? command)
    {
        _processOfThread[threadId] = processId;
        if (command is null or "" or "<...>")
        {
            return;
        }

        // pid 0 is each CPU's idle task (swapper/0, swapper/1, <idle>): one track, one name, not renamed per CPU.
        if (threadId == 0)
        {
            command = "swapper";
        }

        if (!_threadNames.TryGetValue(threadId, out string? known) || known != command)
        {
            _threadNames[threadId] = command;
            _writer.Metadata("thread_name", processId, threadId, "name", command);
        }

        // A process is named after its main thread once that is seen (an exec renames it), else its first thread.
        bool main = threadId == processId;
        if (!_processNames.TryGetValue(processId, out string? process) || (main && process != command))
        {
            _processNames[processId] = command;
            _writer.Metadata("process_name", processId, 0, "name", command);
        }
    }

    private void NameCpu(int cpu)
    {
        if (_cpusNamed.Count == 0)
        {
            _writer.Metadata("process_name", CpuProcessId, 0, "name", "CPUs");
            _writer.Metadata("process_sort_index", CpuProcessId, 0, "sort_index", -1);
        }

        if (_cpusNamed.Add(cpu))
        {
            int track = CpuProcessId + 1 + cpu;
            _writer.Metadata("thread_name", CpuProcessId, track, "name", $"CPU {cpu}");
            _writer.Metadata("thread_sort_index", CpuProcessId, track, "sort_index", cpu);
        }
    }
}
