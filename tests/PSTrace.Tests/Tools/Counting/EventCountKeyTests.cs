using System.Buffers.Binary;
using System.Text;
using PSTrace.Core.Tools.Counting;

namespace PSTrace.Tests.Tools.Counting;

/// <summary>Keys of count.bpf.c's map: event index, thread group, NUL-padded comm.</summary>
public sealed class EventCountKeyTests
{
    private static byte[] Key(uint ev, uint tgid, string comm)
    {
        byte[] key = new byte[EventCountKey.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(key, ev);
        BinaryPrimitives.WriteUInt32LittleEndian(key.AsSpan(4), tgid);
        Encoding.UTF8.GetBytes(comm).CopyTo(key, 8);
        return key;
    }

    [Fact]
    public void A_key_gives_its_event_process_and_command()
    {
        Assert.Equal(new EventCountKey(3, 4242, "known-ppid"), EventCountKey.Decode(Key(3, 4242, "known-ppid")));
    }

    [Fact]
    public void A_comm_of_all_sixteen_bytes_and_one_with_spaces_are_whole()
    {
        Assert.Equal(".NET TP Worker", EventCountKey.Decode(Key(0, 1, ".NET TP Worker")).Command);
        Assert.Equal("0123456789abcdef", EventCountKey.Decode(Key(0, 1, "0123456789abcdef")).Command);
    }

    [Fact]
    public void A_key_of_another_size_is_refused() => Assert.Throws<ArgumentException>(() => EventCountKey.Decode(new byte[8]));
}
