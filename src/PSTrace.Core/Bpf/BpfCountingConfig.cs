using System.Buffers.Binary;

namespace PSTrace.Core.Bpf;

/// <summary>
/// The settings of the programs that count in the kernel (struct counting_config in Programs/process_filter.bpf.h)
/// and their process filter: written into the loaded object before its programs are attached, so the first event
/// they see is already filtered.
/// </summary>
public sealed class BpfCountingConfig
{
    public const string ConfigMap = "pstrace_config";
    public const string ProcessMap = "pstrace_tgids";
    public const string UncountedMap = "pstrace_uncounted";

    /// <summary>The program that keeps a kept process's children (attached with <see cref="FollowChildren"/>).</summary>
    public const string ForkProgram = "pstrace_follow_fork";

    /// <summary>Thread groups to count; empty for every one but <see cref="ExcludedProcessId"/>.</summary>
    public IReadOnlyList<int> ProcessIds { get; init; } = [];

    /// <summary>A thread group left out when no process is named (the watching pwsh); null for none.</summary>
    public int? ExcludedProcessId { get; init; }

    /// <summary>Also count the processes the kept ones start (only with <see cref="ProcessIds"/>).</summary>
    public bool FollowChildren { get; init; }

    /// <summary>syscall.bpf.c: count latencies into log2 slots instead of calls, errors and time.</summary>
    public bool Histogram { get; init; }

    /// <summary>The programs to attach besides the counting ones.</summary>
    public IEnumerable<string> ExtraPrograms => FollowChildren && ProcessIds.Count > 0 ? [ForkProgram] : [];

    /// <summary>The 16 bytes of struct counting_config.</summary>
    internal byte[] Encode()
    {
        byte[] value = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(value, ProcessIds.Count > 0 ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), ProcessIds.Count > 0 ? 0u : (uint)(ExcludedProcessId ?? 0));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(8), FollowChildren && ProcessIds.Count > 0 ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(12), Histogram ? 1u : 0u);
        return value;
    }

    /// <summary>Writes the settings and the processes into a loaded object (before its programs are attached).</summary>
    public void WriteTo(BpfObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        byte[] key = new byte[4];
        obj.WriteMap(ConfigMap, key, Encode());
        byte[] one = [1];
        foreach (int pid in ProcessIds)
        {
            BinaryPrimitives.WriteInt32LittleEndian(key, pid);
            obj.WriteMap(ProcessMap, key, one);
        }
    }

    /// <summary>Events the programs could not count (a map was full), over every CPU.</summary>
    public static long Uncounted(BpfObject obj) => (long)BpfCounterMap.ReadArrayEntry(obj, UncountedMap, 0, 1)[0];
}
