using System.Runtime.InteropServices;
using PSTrace.Core.Native;

namespace PSTrace.Core.Bpf;

/// <summary>
/// Reads a BPF ring buffer map: <see cref="Poll"/> waits for records and returns copies of them, in the order the
/// programs committed them (one buffer for every CPU). Used by one reader thread at a time.
/// </summary>
public sealed class BpfRingBuffer : IDisposable
{
    private readonly SafeRingBuffer _ring;
    private readonly string _name;
    private GCHandle _self;
    private List<byte[]> _batch = new();

    /// <summary>Opens the ring buffer map <paramref name="map"/> of a loaded object.</summary>
    public unsafe BpfRingBuffer(BpfObject obj, string map)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _name = map;
        _self = GCHandle.Alloc(this);
        try
        {
            _ring = LibBpf.RingBufferNew(obj.MapFd(map), &OnRecord, GCHandle.ToIntPtr(_self), map);
        }
        catch
        {
            _self.Free();
            throw;
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (0: not at all) and returns the records that came, oldest first.</summary>
    public List<byte[]> Poll(int timeoutMs)
    {
        LibBpf.RingBufferPoll(_ring, timeoutMs, _name);
        List<byte[]> batch = _batch;
        _batch = new List<byte[]>();
        return batch;
    }

    public void Dispose()
    {
        _ring.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    /// <summary>libbpf's sample callback: the record is valid only during the call, so it is copied.</summary>
    [UnmanagedCallersOnly]
    private static unsafe int OnRecord(IntPtr context, IntPtr data, nuint size)
    {
        try
        {
            var ring = (BpfRingBuffer)GCHandle.FromIntPtr(context).Target!;
            ring._batch.Add(new ReadOnlySpan<byte>((void*)data, checked((int)size)).ToArray());
            return 0;
        }
        catch (Exception)
        {
            // Nothing may cross into native code; a non-zero return stops this poll, and the reader sees the error count.
            return -1;
        }
    }
}
