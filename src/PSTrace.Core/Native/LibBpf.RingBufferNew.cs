using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__new", SetLastError = true)]
    private static unsafe partial IntPtr RingBufferNewNative(int mapFd, delegate* unmanaged<IntPtr, IntPtr, nuint, int> sample, IntPtr context, IntPtr options);

    /// <summary>
    /// ring_buffer__new: maps a BPF ring buffer for reading; <paramref name="sample"/> is called with each record
    /// during <see cref="RingBufferPoll"/>, on the polling thread, with <paramref name="context"/>.
    /// </summary>
    public static unsafe SafeRingBuffer RingBufferNew(int mapFd, delegate* unmanaged<IntPtr, IntPtr, nuint, int> sample, IntPtr context, string name)
    {
        IntPtr ring = RingBufferNewNative(mapFd, sample, context, IntPtr.Zero);
        if (ring == IntPtr.Zero)
        {
            throw new NativeException("ring_buffer__new", Marshal.GetLastPInvokeError(), name);
        }

        return new SafeRingBuffer(ring);
    }
}
