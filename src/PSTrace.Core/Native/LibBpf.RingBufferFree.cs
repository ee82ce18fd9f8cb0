using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    /// <summary>ring_buffer__free: unmaps the ring buffer and closes its epoll descriptor (SafeRingBuffer calls it once).</summary>
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__free")]
    public static partial void RingBufferFree(IntPtr ring);
}
