using PSTrace.Core.Tools.HostLookup;

namespace PSTrace.Tests.Tools.HostLookup;

/// <summary>Addresses and ports from the little-endian words a probe reads out of a struct sockaddr (network order in memory).</summary>
public class SocketAddressTextTests
{
    [Theory]
    [InlineData(2, 0x0100007fUL, 0UL, 0UL, "127.0.0.1")]
    [InlineData(2, 0x0a0a000aUL, 0UL, 0UL, "10.0.10.10")]
    [InlineData(10, 0UL, 0UL, 0x0100000000000000UL, "::1")]
    [InlineData(10, 0UL, 0x00000000b80d0120UL, 0x0100000000000000UL, "2001:db8::1")]
    [InlineData(1, 0UL, 0UL, 0UL, null)]
    public void Address(long family, ulong v4, ulong low, ulong high, string? expected) =>
        Assert.Equal(expected, SocketAddressText.Address(family, v4, low, high));

    [Theory]
    [InlineData(0x901fUL, 8080)]
    [InlineData(0x5000UL, 80)]
    [InlineData(0x3815UL, 5432)]
    public void Port(ulong word, int expected) => Assert.Equal(expected, SocketAddressText.Port(word));
}
