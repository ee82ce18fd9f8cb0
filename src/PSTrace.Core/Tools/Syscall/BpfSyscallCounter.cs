using PSTrace.Core.Bpf;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Syscall;

/// <summary>
/// Watch-Syscall -Summary and -Histogram counted in the kernel (Bpf/Programs/syscall.bpf.c): calls, errors and time
/// per system call and process, or latency slots per system call, kept in BPF maps; no event is copied out. The maps
/// are read when the watch ends (-Duration, the started program's exit) into the same records the tracefs backend
/// (<see cref="SyscallWatcher"/>) writes.
/// </summary>
public sealed class BpfSyscallCounter : BpfCounter
{
    private readonly IReadOnlyList<string> _patterns;
    private readonly bool _histogram;

    /// <param name="syscalls">Names of system calls to count (wildcards); empty for all.</param>
    /// <param name="histogram">Latencies into log2 slots instead of calls, errors and time.</param>
    public BpfSyscallCounter(IEnumerable<string>? syscalls, bool histogram)
    {
        _patterns = (syscalls ?? []).ToList();
        _histogram = histogram;
        Backend = $"BPF program syscall.bpf.o on raw_syscalls:sys_enter/sys_exit, {(histogram ? "latency slots" : "calls, errors and time")} counted in the kernel; no event copied out";
    }

    public override string ProgramFile => "syscall";

    public override IReadOnlyList<string> Programs { get; } = ["pstrace_syscall_enter", "pstrace_syscall_exit"];

    /// <exception cref="TraceException">No system call of the table matches the names given (SyscallNotFound).</exception>
    public override BpfObject Load(WatchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (_patterns.Count > 0 && SyscallNames.HasTable && !SyscallNames.All.Any(n => SyscallWatcher.Matches(_patterns, n)))
        {
            throw new TraceException(TraceErrorKind.NotFound, "SyscallNotFound", $"No system call matches {string.Join(", ", _patterns)}.",
                "Get-TraceEventType -System syscalls lists them (sys_enter_NAME).", string.Join(", ", _patterns));
        }

        var config = new BpfCountingConfig
        {
            ProcessIds = filter.ProcessIds,
            ExcludedProcessId = filter.ExcludedProcessId ?? Environment.ProcessId,
            FollowChildren = filter.IncludeChildren,
            Histogram = _histogram,
        };
        return LoadCounting(config);
    }

    protected override string Counted => "system call(s)";

    protected override IEnumerable<object> ReadCounts(BpfObject obj)
    {
        IEnumerable<object> records;
        if (_histogram)
        {
            var latencies = new SyscallLatencies();
            SyscallCountRecords.AddSlots(latencies, BpfCounterMap.ReadAll(obj, SyscallCountRecords.SlotsMap, SyscallCountRecords.KeySize, 1), _patterns);
            records = latencies.Histograms();
        }
        else
        {
            var totals = new SyscallTotals();
            SyscallCountRecords.AddCalls(totals, BpfCounterMap.ReadAll(obj, SyscallCountRecords.CallsMap, SyscallCountRecords.KeySize, SyscallCountRecords.CallFields), _patterns);
            records = totals.Summaries();
        }

        return records;
    }
}
