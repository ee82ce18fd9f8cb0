using System.Buffers.Binary;
using System.Text;
using PSTrace.Core.Profiling;

namespace PSTrace.Tests.Profiling;

/// <summary>The layouts profile.bpf.c and offcpu.bpf.c write (stacks.bpf.h): keys, values and stored stacks.</summary>
public sealed class StackCountTests
{
    [Fact]
    public void A_key_and_value_decode_to_thread_stack_ids_command_and_amounts()
    {
        byte[] key = new byte[StackCount.KeySize];
        BinaryPrimitives.WriteUInt32LittleEndian(key, 4321);
        BinaryPrimitives.WriteUInt32LittleEndian(key.AsSpan(4), 4325);
        BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(8), 17);
        BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(12), -14);
        Encoding.ASCII.GetBytes("pstrace-hot").CopyTo(key, 16);
        byte[] value = new byte[StackCount.ValueSize];
        BinaryPrimitives.WriteUInt64LittleEndian(value, 20);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), 2_005_600_000);

        StackCount c = StackCount.Decode(key, value);

        Assert.Equal(new StackCount(4321, 4325, 17, -14, "pstrace-hot", 20, 2_005_600_000), c);
        Assert.Equal(4321, StackCount.ProcessIdOf(key));
    }

    [Fact]
    public void A_command_of_all_sixteen_bytes_has_no_terminator()
    {
        byte[] key = new byte[StackCount.KeySize];
        Encoding.ASCII.GetBytes("abcdefghijklmnop").CopyTo(key, 16);
        Assert.Equal("abcdefghijklmnop", StackCount.Decode(key, new byte[StackCount.ValueSize]).Command);
    }

    [Fact]
    public void Short_buffers_are_refused() =>
        Assert.Throws<ArgumentException>(() => StackCount.Decode(new byte[8], new byte[StackCount.ValueSize]));

    [Fact]
    public void A_stored_stack_ends_at_its_first_zero_entry()
    {
        byte[] value = new byte[StackAddresses.ValueSize];
        BinaryPrimitives.WriteUInt64LittleEndian(value, 0xffffffff81000010);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), 0xffffffff81000020);
        Assert.Equal(new ulong[] { 0xffffffff81000010, 0xffffffff81000020 }, StackAddresses.Decode(value));
        Assert.Empty(StackAddresses.Decode(new byte[StackAddresses.ValueSize]));
    }

    [Theory]
    [InlineData("0\n", new[] { 0 })]
    [InlineData("0-1\n", new[] { 0, 1 })]
    [InlineData("0,2-4\n", new[] { 0, 2, 3, 4 })]
    public void Cpu_lists_expand_to_every_cpu(string text, int[] expected) =>
        Assert.Equal(expected, CpuList.Parse(text));

    [Fact]
    public void This_machine_has_cpu_0_online() =>
        Assert.Contains(0, CpuList.Online());
}
