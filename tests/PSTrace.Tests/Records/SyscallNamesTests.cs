using System.Runtime.InteropServices;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Records;

/// <summary>System call numbers named as the kernel's syscall tracepoints name them.</summary>
public sealed class SyscallNamesTests
{
    [Theory]
    [InlineData(0, "read")]
    [InlineData(4, "newstat")]
    [InlineData(40, "sendfile64")]
    [InlineData(63, "newuname")]
    [InlineData(110, "getppid")]
    [InlineData(166, "umount")]
    [InlineData(257, "openat")]
    [InlineData(462, "mseal")]
    [InlineData(469, "file_setattr")]
    public void X86_64_numbers_have_the_tracepoints_names(long number, string name)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }

        Assert.Equal(name, SyscallNames.Of(number));
    }

    [Fact]
    public void A_number_the_table_lacks_is_named_by_its_number() => Assert.Equal("syscall_9999", SyscallNames.Of(9999));

    [Fact]
    public void The_table_skips_comments_and_blank_lines()
    {
        var table = SyscallNames.Parse(new StringReader("# a comment 1\n\n39 getpid\n110 getppid\n"));
        Assert.Equal(new Dictionary<long, string> { [39] = "getpid", [110] = "getppid" }, table);
    }

    [Fact]
    public void Every_syscall_tracepoint_of_this_kernel_has_a_number()
    {
        const string events = "/sys/kernel/tracing/events/syscalls";
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !Directory.Exists(events))
        {
            return;
        }

        var named = SyscallNames.All.ToHashSet(StringComparer.Ordinal);
        string[] missing = Directory.GetDirectories(events, "sys_enter_*").Select(d => Path.GetFileName(d)["sys_enter_".Length..]).Where(n => !named.Contains(n)).ToArray();
        Assert.Empty(missing);
    }
}
