using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

/// <summary>A BPF ring buffer's reader (struct ring_buffer *): unmapped by ring_buffer__free, called once.</summary>
internal sealed class SafeRingBuffer : SafeHandle
{
    public SafeRingBuffer(IntPtr ring) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(ring);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibBpf.RingBufferFree(handle);
        return true;
    }
}
