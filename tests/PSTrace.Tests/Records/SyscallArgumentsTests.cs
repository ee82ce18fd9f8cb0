using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;

namespace PSTrace.Tests.Records;

/// <summary>Syscall arguments typed by the C types of the real 6.18 formats (every argument is recorded as 64 bits).</summary>
public class SyscallArgumentsTests
{
    private static EventFormat Format(string name) =>
        EventFormatCatalog.Load(Fixtures.PathOf("6.18/watch/formats")).Find("syscalls", name) ?? throw new InvalidOperationException(name);

    [Fact]
    public void Openat_from_its_format_dfd_as_AT_FDCWD_flags_by_name_pointer_as_address()
    {
        // sys_openat(dfd: 0xffffff9c, filename: 0x5599853f7b70, flags: 0x241, mode: 0x1b6): the fields as the text reader types them.
        var fields = new Dictionary<string, object?> { ["dfd"] = 0xffffff9cUL, ["filename"] = 0x5599853f7b70UL, ["flags"] = 0x241UL, ["mode"] = 0x1b6UL };
        IReadOnlyDictionary<string, object?> args = SyscallArguments.Decode("openat", fields, Format("sys_enter_openat"));
        Assert.Equal(["dfd", "filename", "flags", "mode"], args.Keys);
        Assert.Equal("AT_FDCWD", args["dfd"]);
        Assert.Equal(0x5599853f7b70UL, args["filename"]);
        Assert.Equal("O_WRONLY|O_CREAT|O_TRUNC", args["flags"]);
        Assert.Equal(438L, args["mode"]);
    }

    [Theory]
    [InlineData("int", "fd", 0xffffffffUL, -1L)]
    [InlineData("unsigned long", "fd", 0xffffffffUL, -1L)]
    [InlineData("int", "dfd", 3UL, 3L)]
    [InlineData("int", "how", 0xfffffffeUL, -2L)]
    [InlineData("size_t", "count", 131072UL, 131072L)]
    [InlineData("long", "offset", 0xffffffffffffffffUL, -1L)]
    [InlineData("umode_t", "mode", 0x1b6UL, 438L)]
    [InlineData("unsigned int", "flags", 0xffffffffUL, 4294967295L)]
    public void Numbers_take_their_C_type(string type, string name, ulong bits, long expected) =>
        Assert.Equal(expected, SyscallArguments.Typed("read", name, bits, type));

    [Theory]
    [InlineData("const char *", "filename")]
    [InlineData("void *", "buf")]
    [InlineData("unsigned long", "addr")]
    public void Addresses_stay_unsigned_and_print_in_hex(string type, string name)
    {
        object? value = SyscallArguments.Typed("munmap", name, 0x7f43a63ba000UL, type);
        Assert.Equal(0x7f43a63ba000UL, value);
        Assert.Equal("0x7f43a63ba000", SyscallArguments.Format(value));
        Assert.Equal("NULL", SyscallArguments.Format(SyscallArguments.Typed("munmap", name, 0UL, type)));
    }

    [Theory]
    [InlineData("mmap", 0x7f43a63ba000L, "0x7f43a63ba000")]
    [InlineData("read", 17L, "17")]
    public void Return_values_of_calls_that_return_addresses_print_in_hex(string syscall, long value, string expected) =>
        Assert.Equal(expected, SyscallArguments.FormatReturn(syscall, value));
}
