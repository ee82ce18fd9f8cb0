using System.Buffers.Binary;

namespace PSTrace.Core.Profiling;

/// <summary>The addresses of one stored stack (a BPF_MAP_TYPE_STACK_TRACE value): innermost first, up to the first zero.</summary>
public static class StackAddresses
{
    /// <summary>PERF_MAX_STACK_DEPTH: the frames one stored stack holds at most (stacks.bpf.h's MAX_STACK_DEPTH).</summary>
    public const int MaxDepth = 127;

    /// <summary>The value's size in bytes: one u64 per frame.</summary>
    public const int ValueSize = MaxDepth * 8;

    /// <summary>The addresses of a stored stack; the kernel zeroes the entries past the stack's depth.</summary>
    public static ulong[] Decode(ReadOnlySpan<byte> value)
    {
        var addresses = new List<ulong>();
        for (int offset = 0; offset + 8 <= value.Length; offset += 8)
        {
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(value[offset..]);
            if (address == 0)
            {
                break;
            }

            addresses.Add(address);
        }

        return addresses.ToArray();
    }
}
