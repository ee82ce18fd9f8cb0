using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_map__fd")]
    private static partial int MapFdNative(IntPtr map);

    /// <summary>bpf_map__fd: the descriptor of a loaded map (owned by the object: never closed by the caller).</summary>
    public static int MapFd(IntPtr map, string name)
    {
        int fd = MapFdNative(map);
        if (fd < 0)
        {
            throw new NativeException("bpf_map__fd", -fd, name);
        }

        return fd;
    }
}
