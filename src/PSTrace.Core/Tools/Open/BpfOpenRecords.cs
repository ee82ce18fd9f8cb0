using System.Buffers.Binary;
using System.Text;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Open;

/// <summary>
/// The records of Bpf/Programs/open.bpf.c, read from its ring buffer into events of the system "pstrace_bpf":
/// open_enter (the call, flags, mode, directory and the file name at sys_enter) and open_exit (the result).
/// The offsets are those of the C structs (record_head, open_enter, open_exit).
/// </summary>
internal static class BpfOpenRecords
{
    public const string System = "pstrace_bpf";
    public const string Enter = "open_enter";
    public const string Exit = "open_exit";

    private const int KindEnter = 1;
    private const int KindExit = 2;
    private const int HeadSize = 24;
    private const int NameOffset = 48;
    private const int NameSpace = 4096;
    private const int ExitSize = 48;

    private static readonly string[] Syscalls = ["", "openat", "open", "creat", "openat2"];

    /// <summary>Decodes one record.</summary>
    /// <exception cref="InvalidDataException">The record is not one open.bpf.c writes.</exception>
    public static TraceEvent Decode(byte[] record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ReadOnlySpan<byte> r = record;
        Require(r, HeadSize);
        ulong timestamp = BinaryPrimitives.ReadUInt64LittleEndian(r);
        int kind = BinaryPrimitives.ReadInt32LittleEndian(r[8..]);
        int cpu = BinaryPrimitives.ReadInt32LittleEndian(r[12..]);
        int pid = BinaryPrimitives.ReadInt32LittleEndian(r[16..]);
        int tid = BinaryPrimitives.ReadInt32LittleEndian(r[20..]);
        if (kind == KindEnter)
        {
            Require(r, NameOffset);
            int syscall = BinaryPrimitives.ReadInt32LittleEndian(r[24..]);
            int flags = BinaryPrimitives.ReadInt32LittleEndian(r[28..]);
            int nameSize = BinaryPrimitives.ReadInt32LittleEndian(r[40..]);
            string? name = null;
            if (nameSize > 0)
            {
                Require(r, NameOffset + Math.Min(nameSize, NameSpace));
                ReadOnlySpan<byte> bytes = r.Slice(NameOffset, Math.Min(nameSize, NameSpace));
                int end = bytes.IndexOf((byte)0);
                name = Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
            }

            var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["syscall"] = syscall > 0 && syscall < Syscalls.Length ? Syscalls[syscall] : throw new InvalidDataException($"A BPF open record of unknown system call {syscall}."),
                ["flags"] = flags < 0 ? null : flags,
                ["mode"] = BinaryPrimitives.ReadInt32LittleEndian(r[32..]),
                ["dfd"] = BinaryPrimitives.ReadInt32LittleEndian(r[36..]),
                ["path"] = name,
            };
            return new TraceEvent(timestamp, cpu, tid, pid, "", "", System, Enter, fields, $"name={name}", null);
        }

        if (kind == KindExit)
        {
            Require(r, ExitSize);
            long ret = BinaryPrimitives.ReadInt64LittleEndian(r[24..]);
            ReadOnlySpan<byte> comm = r.Slice(32, 16);
            int end = comm.IndexOf((byte)0);
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal) { ["ret"] = ret };
            return new TraceEvent(timestamp, cpu, tid, pid, Encoding.UTF8.GetString(end < 0 ? comm : comm[..end]), "", System, Exit, fields, $"ret={ret}", null);
        }

        throw new InvalidDataException($"A BPF open record of unknown kind {kind} ({record.Length} bytes).");
    }

    private static void Require(ReadOnlySpan<byte> r, int size)
    {
        if (r.Length < size)
        {
            throw new InvalidDataException($"A BPF open record of {r.Length} bytes, shorter than its {size}-byte struct.");
        }
    }
}
