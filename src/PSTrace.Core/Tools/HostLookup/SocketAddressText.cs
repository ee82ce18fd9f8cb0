using System.Buffers.Binary;
using System.Net;

namespace PSTrace.Core.Tools.HostLookup;

/// <summary>
/// IPv4 and IPv6 addresses from the words a probe fetched out of a struct sockaddr: the address bytes are in
/// network order in memory, and the probe read them as little-endian integers.
/// </summary>
internal static class SocketAddressText
{
    public const int AfInet = 2;
    public const int AfInet6 = 10;

    /// <summary>The address as text; null for a family that is not IP.</summary>
    public static string? Address(long family, ulong ipv4Word, ulong ipv6Low, ulong ipv6High)
    {
        Span<byte> bytes = stackalloc byte[16];
        switch (family)
        {
            case AfInet:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)ipv4Word);
                return new IPAddress(bytes[..4]).ToString();
            case AfInet6:
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, ipv6Low);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], ipv6High);
                return new IPAddress(bytes).ToString();
            default:
                return null;
        }
    }

    /// <summary>A port read as a little-endian 16-bit word out of network order.</summary>
    public static int Port(ulong word) => BinaryPrimitives.ReverseEndianness((ushort)word);
}
