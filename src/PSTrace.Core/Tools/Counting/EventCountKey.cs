using System.Buffers.Binary;
using System.Text;

namespace PSTrace.Core.Tools.Counting;

/// <summary>
/// A key of count.bpf.c's pstrace_event_counts: u32 event (the attachment's cookie, an index into the events
/// asked for), u32 thread group id, char comm[16] (NUL-padded).
/// </summary>
public readonly record struct EventCountKey(int Event, int ProcessId, string Command)
{
    public const int Size = 24;

    public static EventCountKey Decode(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A key of pstrace_event_counts is {Size} bytes, not {key.Length}.", nameof(key));
        }

        ReadOnlySpan<byte> comm = key[8..];
        int end = comm.IndexOf((byte)0);
        return new EventCountKey((int)BinaryPrimitives.ReadUInt32LittleEndian(key), (int)BinaryPrimitives.ReadUInt32LittleEndian(key[4..]),
            Encoding.UTF8.GetString(end < 0 ? comm : comm[..end]));
    }
}
