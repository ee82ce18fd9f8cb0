using System.Buffers.Binary;

namespace PSTrace.Core.Bpf;

/// <summary>
/// -ProcessId in the kernel, for the programs that include pstrace.bpf.h's scope: the thread groups to record go
/// into pstrace_tgids, then pstrace_scope turns the filter on; with children, <see cref="FollowProgram"/> (attached
/// too) adds each process a watched one forks. Written after the load and before the attach, so no event of
/// another process is ever recorded.
/// </summary>
public static class BpfProcessScope
{
    /// <summary>The program (PSTRACE_FOLLOW_CHILDREN) that adds a watched process's children, at sched_process_fork.</summary>
    public const string FollowProgram = "pstrace_fork";

    private const string TgidMap = "pstrace_tgids";
    private const string ScopeMap = "pstrace_scope";

    /// <summary>Records only <paramref name="processIds"/> (and with <paramref name="includeChildren"/> the processes they start); nothing to do for none.</summary>
    public static void Apply(BpfObject obj, IReadOnlyCollection<int> processIds, bool includeChildren)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(processIds);
        if (processIds.Count == 0)
        {
            return;
        }

        Span<byte> key = stackalloc byte[4];
        foreach (int pid in processIds)
        {
            BinaryPrimitives.WriteInt32LittleEndian(key, pid);
            obj.WriteMap(TgidMap, key, [1]);
        }

        Span<byte> settings = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(settings, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(settings[4..], includeChildren ? 1u : 0u);
        key.Clear();
        obj.WriteMap(ScopeMap, key, settings);
    }
}
