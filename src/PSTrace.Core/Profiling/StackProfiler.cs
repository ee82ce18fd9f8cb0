using System.Globalization;
using PSTrace.Core.Binary;
using PSTrace.Core.Bpf;
using PSTrace.Core.Native;
using PSTrace.Core.Processes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Profiling;

/// <summary>
/// A profile running in the kernel: on CPU, a cpu-clock perf event per CPU sampling at a frequency with profile.bpf.c
/// attached to each; off CPU, offcpu.bpf.c on sched_switch. Both count stacks in the kernel. While it runs,
/// <see cref="Poll"/> reads the mappings of the processes that appear (many end before the profile does);
/// <see cref="Stop"/> detaches the programs, reads the counts once and names every frame. Everything lives in
/// descriptors of this process: Dispose, or the end of the process, removes it.
/// </summary>
public sealed class StackProfiler : IDisposable
{
    /// <summary>The highest -Frequency taken: 10 kHz, a hundred times perf's default, already a load of its own.</summary>
    public const int MaxFrequency = 10000;

    private const string SampleProgram = "pstrace_profile_sample";
    private const string SwitchProgram = "pstrace_offcpu_switch";
    private const int EFAULT = 14;

    private readonly BpfObject _object;
    private readonly StackCountReader _reader;
    private readonly BpfLossCounter _lost;
    private readonly UserSymbolizer _user = new();

    private StackProfiler(ProfileKind kind, int processId, BpfObject obj)
    {
        Kind = kind;
        ProcessId = processId;
        _object = obj;
        _reader = new StackCountReader(obj);
        _lost = new BpfLossCounter(obj, StackCountReader.LostMap);
    }

    public ProfileKind Kind { get; }

    /// <summary>The process profiled; 0 for every process.</summary>
    public int ProcessId { get; }

    /// <summary>The CPUs sampled (OnCpu); 0 off CPU.</summary>
    public int Cpus { get; private set; }

    /// <summary>What was loaded and attached, for -Verbose.</summary>
    public string Description => $"{_object.Path}, programs {string.Join(", ", _object.Programs)}" + (Cpus > 0 ? $" on {Cpus} CPU(s)" : "");

    /// <summary>Sightings the kernel's table of stacks had no room for (read by <see cref="Stop"/>).</summary>
    public long Lost { get; private set; }

    /// <summary>Processes whose mappings were read to name their frames.</summary>
    public int ProcessesRead => _user.Processes;

    /// <summary>Starts counting: <paramref name="frequency"/> samples a second on each CPU (OnCpu), or every switch (OffCpu).</summary>
    /// <param name="processId">Count only this process (in the kernel); 0 for all.</param>
    /// <exception cref="TraceException">Bad input, no BPF (with the reason), or the kernel refused.</exception>
    public static StackProfiler Start(ProfileKind kind, int frequency, int processId)
    {
        if (kind == ProfileKind.OnCpu)
        {
            CheckFrequency(frequency);
        }

        if (processId != 0 && !ProcessInfo.IsAlive(processId))
        {
            throw new TraceException(TraceErrorKind.NotFound, "ProcessNotFound", $"There is no process {processId}.", "Get-Process lists the running processes.", processId);
        }

        BpfObject obj = Load(kind, processId);
        var profiler = new StackProfiler(kind, processId, obj);
        try
        {
            if (kind == ProfileKind.OnCpu)
            {
                profiler.AttachSampling(frequency);
            }

            return profiler;
        }
        catch
        {
            profiler.Dispose();
            throw;
        }
    }

    /// <summary>Reads the mappings of processes seen since the last call (and of those that ran a new program).</summary>
    public void Poll()
    {
        foreach (int pid in _reader.ProcessIds())
        {
            _user.Remember(pid);
        }
    }

    /// <summary>Stops counting and returns one record per thread and stack of functions, the most samples (or the longest time) first.</summary>
    public IReadOnlyList<ProfileStack> Stop()
    {
        Poll();
        _object.Detach();
        _user.RefreshLiving();
        Lost = _lost.Read(0).Sum(l => l.Count ?? 0);
        KernelSymbols kernel = KernelSymbols.Parse(File.ReadAllText("/proc/kallsyms"));
        var builder = new ProfileStackBuilder(Kind);
        foreach (StackCount c in _reader.Counts())
        {
            var frames = new List<StackFrame>();
            AddFrames(frames, c.KernelStackId, "kernel", a => KernelFrame(kernel, a));
            AddFrames(frames, c.UserStackId, "user", a => _user.Frame(c.ProcessId, a));
            builder.Add(c, frames);
        }

        return builder.Build();
    }

    public void Dispose() => _object.Dispose();

    /// <summary>Refuses a frequency out of 1..<see cref="MaxFrequency"/> or above the kernel's perf_event_max_sample_rate.</summary>
    /// <exception cref="TraceException">FrequencyOutOfRange, FrequencyAboveKernelLimit.</exception>
    public static void CheckFrequency(int frequency)
    {
        if (frequency is < 1 or > MaxFrequency)
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "FrequencyOutOfRange", $"-Frequency {frequency} is out of range: 1 to {MaxFrequency} samples a second.",
                "99 (the default) is what perf and bpftrace use; 997 for short runs.", frequency);
        }

        string limitPath = "/proc/sys/kernel/perf_event_max_sample_rate";
        if (File.Exists(limitPath) && int.TryParse(File.ReadAllText(limitPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && frequency > limit)
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "FrequencyAboveKernelLimit",
                $"-Frequency {frequency} is above this kernel's limit of {limit} samples a second ({limitPath}; the kernel lowers it when sampling takes too long).",
                $"Give -Frequency {limit} or less.", frequency);
        }
    }

    private static BpfObject Load(ProfileKind kind, int processId)
    {
        // The program's .rodata is its one constant: the thread group to count (stacks.bpf.h, target_tgid).
        byte[] constants = BitConverter.GetBytes((uint)processId);
        try
        {
            return kind == ProfileKind.OnCpu
                ? BpfObject.Load("profile", [], constants: constants)
                : BpfObject.Load("offcpu", [SwitchProgram], constants: constants);
        }
        catch (TraceException e) when (e.ErrorId is "BpfNotSupported" or "BpfLoadFailed")
        {
            throw NoFallback(e);
        }
    }

    /// <summary>A BPF failure said with what it means here: no other way to profile (the watches' fix, their tracefs backend, does not apply).</summary>
    private static TraceException NoFallback(TraceException e) =>
        new(e.Kind, e.ErrorId, e.Message + " Start-TraceProfile has no tracefs fallback: it counts stacks with BPF programs only.",
            e.ErrorId == "BpfNotSupported" ? e.Fix : "Get-TraceCapability Bpf shows what BPF needs here.", e.Target, e);

    private void AttachSampling(int frequency)
    {
        foreach (int cpu in CpuList.Online())
        {
            SafeFileDescriptor perfEvent;
            try
            {
                perfEvent = Libc.PerfEventOpenCpuClock(cpu, frequency);
            }
            catch (NativeException e)
            {
                throw new TraceException(TraceErrorKind.KernelRejected, "PerfEventOpenFailed", $"The kernel refused a cpu-clock sampling event on CPU {cpu}: {e.ErrorText}.",
                    "perf_event_open needs CAP_PERFMON (root) and a kernel with CONFIG_PERF_EVENTS.", cpu, e);
            }

            using (perfEvent)
            {
                // On success the link owns the descriptor (this using then closes nothing); on failure it is closed here.
                try
                {
                    _object.AttachPerfEvent(SampleProgram, perfEvent);
                }
                catch (TraceException e)
                {
                    throw NoFallback(e);
                }
            }

            Cpus++;
        }
    }

    private void AddFrames(List<StackFrame> frames, int stackId, string which, Func<ulong, StackFrame> name)
    {
        if (stackId < 0)
        {
            // -EFAULT: no stack of this kind (a sample in user mode has no kernel stack, a kernel thread no user stack).
            if (stackId != -EFAULT)
            {
                frames.Add(new StackFrame(0, which == "kernel", $"[{which} stack lost]", null, null));
            }

            return;
        }

        if (_reader.Stack(stackId) is { } addresses)
        {
            frames.AddRange(addresses.Select(name));
        }
    }

    private static StackFrame KernelFrame(KernelSymbols symbols, ulong address) =>
        symbols.Lookup(address) is { } s ? new StackFrame(address, true, s.Name, s.Module, null) : new StackFrame(address, true, null, null, null);
}
