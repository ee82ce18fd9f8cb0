using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    private static unsafe partial int MapUpdateElemNative(int fd, void* key, void* value, ulong flags);

    /// <summary>bpf_map_update_elem with BPF_ANY: sets <paramref name="key"/> to <paramref name="value"/> (a program's settings, a process to keep).</summary>
    public static unsafe void MapUpdateElem(int fd, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, string name)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (MapUpdateElemNative(fd, k, v, 0) == 0)
            {
                return;
            }
        }

        throw new NativeException("bpf_map_update_elem", Marshal.GetLastPInvokeError(), name);
    }
}
