using System.Buffers.Binary;
using System.Text;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Exec;

/// <summary>
/// The records of Bpf/Programs/exec.bpf.c, read from its ring buffer into events of the system "pstrace_bpf":
/// exec_args (path and argv at sys_enter_execve/execveat), exec_done (sched_process_exec) and exec_fail (a failed
/// execve/execveat). The offsets are those of the C structs (record_head, exec_args, exec_done).
/// </summary>
internal static class BpfExecRecords
{
    public const string System = "pstrace_bpf";
    public const string Args = "exec_args";
    public const string Done = "exec_done";
    public const string Fail = "exec_fail";

    private const int KindArgs = 1;
    private const int KindDone = 2;
    private const int KindFail = 3;
    private const int HeadSize = 24;
    private const int PathOffset = 48;
    private const int PathSpace = 4096;
    private const int ArgsOffset = PathOffset + PathSpace;
    private const int DoneSize = 64;
    private const int CommLength = 16;

    /// <summary>Decodes one record; a record of another kind or too short to hold its struct is refused as damaged.</summary>
    /// <exception cref="InvalidDataException">The record is not one exec.bpf.c writes.</exception>
    public static TraceEvent Decode(byte[] record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ReadOnlySpan<byte> r = record;
        Require(r, HeadSize, "header");
        ulong timestamp = BinaryPrimitives.ReadUInt64LittleEndian(r);
        int kind = BinaryPrimitives.ReadInt32LittleEndian(r[8..]);
        int cpu = BinaryPrimitives.ReadInt32LittleEndian(r[12..]);
        int pid = BinaryPrimitives.ReadInt32LittleEndian(r[16..]);
        int tid = BinaryPrimitives.ReadInt32LittleEndian(r[20..]);
        return kind switch
        {
            KindArgs => ArgsEvent(r, timestamp, cpu, pid, tid),
            KindDone or KindFail => DoneEvent(r, kind == KindDone ? Done : Fail, timestamp, cpu, pid, tid),
            _ => throw new InvalidDataException($"A BPF exec record of unknown kind {kind} ({record.Length} bytes)."),
        };
    }

    private static TraceEvent ArgsEvent(ReadOnlySpan<byte> r, ulong timestamp, int cpu, int pid, int tid)
    {
        Require(r, ArgsOffset, Args);
        int pathSize = BinaryPrimitives.ReadInt32LittleEndian(r[24..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(r[28..]);
        int size = BinaryPrimitives.ReadInt32LittleEndian(r[32..]);
        bool more = BinaryPrimitives.ReadInt32LittleEndian(r[36..]) != 0;
        ulong unreadable = BinaryPrimitives.ReadUInt64LittleEndian(r[40..]);
        Require(r, ArgsOffset + size, Args);
        string? path = pathSize > 0 ? CString(r.Slice(PathOffset, Math.Min(pathSize, PathSpace))) : null;

        var args = new List<string?>(count);
        ReadOnlySpan<byte> strings = r.Slice(ArgsOffset, size);
        for (int i = 0; i < count && !strings.IsEmpty; i++)
        {
            int end = strings.IndexOf((byte)0);
            ReadOnlySpan<byte> one = end < 0 ? strings : strings[..end];
            args.Add((unreadable & (1UL << i)) != 0 ? null : Encoding.UTF8.GetString(one));
            strings = end < 0 ? ReadOnlySpan<byte>.Empty : strings[(end + 1)..];
        }

        // "more" also when argv itself could not be read at the next index: what follows is unknown, as if cut.
        bool cut = more;
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["path"] = path,
            ["args"] = args.ToArray(),
            ["truncated"] = cut,
        };
        return new TraceEvent(timestamp, cpu, tid, pid, "", "", System, Args, fields, $"path={path} argc={args.Count}{(cut ? "+" : "")}", null);
    }

    private static TraceEvent DoneEvent(ReadOnlySpan<byte> r, string name, ulong timestamp, int cpu, int pid, int tid)
    {
        Require(r, DoneSize, name);
        int parent = BinaryPrimitives.ReadInt32LittleEndian(r[24..]);
        int ret = BinaryPrimitives.ReadInt32LittleEndian(r[28..]);
        string comm = CString(r.Slice(32, CommLength));
        string parentComm = CString(r.Slice(48, CommLength));
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["pid"] = pid,
            ["old_pid"] = tid,
            ["ret"] = ret,
            ["parent_pid"] = parent,
            ["parent_comm"] = parentComm,
        };
        return new TraceEvent(timestamp, cpu, name == Done ? pid : tid, pid, comm, "", System, name, fields, $"pid={pid} old_pid={tid} ret={ret} parent={parent}", null);
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static void Require(ReadOnlySpan<byte> r, int size, string what)
    {
        if (r.Length < size)
        {
            throw new InvalidDataException($"A BPF exec record ({what}) of {r.Length} bytes, shorter than its {size}-byte struct.");
        }
    }
}
