using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Open;

/// <summary>
/// Watch-Open's BPF backend: the same <see cref="OpenEvent"/> records as <see cref="OpenWatcher"/>, from
/// Bpf/Programs/open.bpf.c. The file name is read in the kernel at the system call's entry, so every open has its
/// path, whoever makes the call (libc, the dynamic loader, a static binary, Go); the result comes at its exit.
/// </summary>
public sealed class BpfOpenWatcher : BpfWatcher
{
    private const int AtFdCwd = -100;
    private readonly bool _failedOnly;

    public BpfOpenWatcher(bool failedOnly = false)
    {
        _failedOnly = failedOnly;
        Backend = "BPF program open.bpf.o: the file name read in the kernel at sys_enter_openat/open/creat/openat2, the result at their exit"
            + (failedOnly ? "; failed opens only" : "");
    }

    public override string ProgramFile => "open";

    public override IReadOnlyList<string> Programs { get; } =
    [
        "pstrace_openat_in", "pstrace_open_in", "pstrace_creat_in", "pstrace_openat2_in",
        "pstrace_openat_out", "pstrace_open_out", "pstrace_creat_out", "pstrace_openat2_out",
    ];

    public override TraceEvent? Decode(byte[] record) => BpfOpenRecords.Decode(record);

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var entered = new Dictionary<int, TraceEvent>();
        foreach (object item in events)
        {
            if (item is not TraceEvent ev || ev.System != BpfOpenRecords.System)
            {
                yield return item;
                continue;
            }

            if (ev.Name == BpfOpenRecords.Enter)
            {
                entered[ev.ProcessId] = ev;
                continue;
            }

            if (!entered.Remove(ev.ProcessId, out TraceEvent? open))
            {
                continue; // entered before the watch started
            }

            long ret = (long)ev.Fields["ret"]!;
            if (_failedOnly && ret >= 0)
            {
                continue;
            }

            string syscall = (string)open.Fields["syscall"]!;
            int dfd = (int)open.Fields["dfd"]!;
            yield return new OpenEvent(Clock.ToDateTime(ev.TimestampNanoseconds), ev.TimestampNanoseconds, ev.ThreadGroupId ?? ev.ProcessId, ev.ProcessId,
                ev.Command, syscall, ret, (int?)open.Fields["flags"], (int)open.Fields["mode"]!,
                syscall is "openat" or "openat2" && dfd != AtFdCwd ? dfd : null, (string?)open.Fields["path"]);
        }
    }
}
