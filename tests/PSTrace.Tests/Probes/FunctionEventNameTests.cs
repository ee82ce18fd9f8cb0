using PSTrace.Core.Probes;

namespace PSTrace.Tests.Probes;

public sealed class FunctionEventNameTests
{
    [Theory]
    [InlineData("readline", false, "readline")]
    [InlineData("readline", true, "readline__return")]
    [InlineData("getaddrinfo@@GLIBC_2.2.5", false, "getaddrinfo")]
    [InlineData("memcpy@GLIBC_2.2.5", true, "memcpy__return")]
    [InlineData("tcp_v4_connect.cold", false, "tcp_v4_connect_cold")]
    [InlineData("do_sys_openat2_4", false, "do_sys_openat2_4")]
    public void Names_a_probe_after_its_function(string function, bool isReturn, string expected) =>
        Assert.Equal(expected, FunctionEventName.For(function, isReturn));

    [Fact]
    public void A_long_name_is_cut_to_the_kernel_limit_keeping_the_return_suffix()
    {
        string name = FunctionEventName.For(new string('f', 80), isReturn: true);
        Assert.Equal(ProbeNames.MaxNameLength, name.Length);
        Assert.EndsWith("__return", name, StringComparison.Ordinal);
        ProbeNames.CheckEventName(name);
    }
}
