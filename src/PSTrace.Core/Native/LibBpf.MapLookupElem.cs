using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    private static unsafe partial int MapLookupElemNative(int fd, void* key, void* value);

    /// <summary>
    /// bpf_map_lookup_elem: copies the value of <paramref name="key"/> into <paramref name="value"/> (for a per-CPU map,
    /// one value per possible CPU, each rounded up to 8 bytes); false when the key is not there.
    /// </summary>
    public static unsafe bool MapLookupElem(int fd, ReadOnlySpan<byte> key, Span<byte> value, string name)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (MapLookupElemNative(fd, k, v) == 0)
            {
                return true;
            }
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ENOENT ? false : throw new NativeException("bpf_map_lookup_elem", errno, name);
    }
}
