using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_map_get_next_key", SetLastError = true)]
    private static unsafe partial int MapGetNextKeyNative(int fd, void* key, void* nextKey);

    /// <summary>
    /// bpf_map_get_next_key: the key after <paramref name="key"/> (the first key for an empty span), for walking a
    /// hash map's aggregates; false after the last key.
    /// </summary>
    public static unsafe bool MapGetNextKey(int fd, ReadOnlySpan<byte> key, Span<byte> nextKey, string name)
    {
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
        {
            if (MapGetNextKeyNative(fd, key.IsEmpty ? null : k, n) == 0)
            {
                return true;
            }
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ENOENT ? false : throw new NativeException("bpf_map_get_next_key", errno, name);
    }
}
