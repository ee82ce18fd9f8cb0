using System.Buffers.Binary;
using System.Text;

namespace PSTrace.Core.Profiling;

/// <summary>
/// One entry of a profile's count map (struct stack_key -> struct stack_value in Bpf/Programs/stacks.bpf.h): a thread,
/// its kernel and user stack ids, and how often and for how long it was seen with them.
/// </summary>
public sealed record StackCount(int ProcessId, int ThreadId, int KernelStackId, int UserStackId, string Command, long Count, long Nanoseconds)
{
    /// <summary>sizeof(struct stack_key): pid, tid, kernel_stack, user_stack (4 bytes each), comm[16].</summary>
    public const int KeySize = 32;

    /// <summary>sizeof(struct stack_value): count and nanoseconds, 8 bytes each.</summary>
    public const int ValueSize = 16;

    private const int CommOffset = 16;
    private const int CommLength = 16;

    /// <summary>The thread group id of a key alone (the periodic read of process maps needs no more).</summary>
    public static int ProcessIdOf(ReadOnlySpan<byte> key) => (int)BinaryPrimitives.ReadUInt32LittleEndian(key);

    /// <summary>Decodes a key and its value as the kernel wrote them (little-endian, comm NUL-padded).</summary>
    public static StackCount Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.Length < KeySize || value.Length < ValueSize)
        {
            throw new ArgumentException($"A stack count needs a {KeySize}-byte key and a {ValueSize}-byte value (got {key.Length} and {value.Length}).");
        }

        ReadOnlySpan<byte> comm = key.Slice(CommOffset, CommLength);
        int end = comm.IndexOf((byte)0);
        return new StackCount(
            ProcessIdOf(key),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(key[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(key[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(key[12..]),
            Encoding.UTF8.GetString(end < 0 ? comm : comm[..end]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(value),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(value[8..]));
    }
}
