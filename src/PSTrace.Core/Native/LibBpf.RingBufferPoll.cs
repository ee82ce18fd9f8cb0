using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__poll")]
    private static partial int RingBufferPollNative(SafeRingBuffer ring, int timeoutMs);

    /// <summary>ring_buffer__poll: waits up to <paramref name="timeoutMs"/> for records and hands each to the sample callback; returns how many.</summary>
    public static int RingBufferPoll(SafeRingBuffer ring, int timeoutMs, string name)
    {
        int n = RingBufferPollNative(ring, timeoutMs);
        if (n == -Errno.EINTR)
        {
            return 0;
        }

        return n < 0 ? throw new NativeException("ring_buffer__poll", -n, name) : n;
    }
}
