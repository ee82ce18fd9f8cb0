using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    /// <summary>bpf_map_update_elem's flag: create the key or replace its value.</summary>
    public const ulong BPF_ANY = 0;

    [LibraryImport(LibraryName, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    private static unsafe partial int MapUpdateElemNative(int fd, void* key, void* value, ulong flags);

    /// <summary>bpf_map_update_elem: sets <paramref name="key"/>'s value (a program's settings, written before it is attached).</summary>
    public static unsafe void MapUpdateElem(int fd, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, string name)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (MapUpdateElemNative(fd, k, v, BPF_ANY) == 0)
            {
                return;
            }
        }

        throw new NativeException("bpf_map_update_elem", Marshal.GetLastPInvokeError(), name);
    }
}
