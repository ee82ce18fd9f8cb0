using System.Buffers.Binary;

namespace PSTrace.Core.Binary;

/// <summary>Reads integers in the byte order the trace was written in (the traced machine's).</summary>
internal static class Endian
{
    public static ushort U16(ReadOnlySpan<byte> s, bool big) =>
        big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    public static uint U32(ReadOnlySpan<byte> s, bool big) =>
        big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    public static ulong U64(ReadOnlySpan<byte> s, bool big) =>
        big ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);

    /// <summary>An unsigned integer of 1, 2, 4 or 8 bytes.</summary>
    public static ulong Unsigned(ReadOnlySpan<byte> s, int size, bool big) => size switch
    {
        1 => s[0],
        2 => U16(s, big),
        4 => U32(s, big),
        8 => U64(s, big),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Integers are 1, 2, 4 or 8 bytes."),
    };
}
