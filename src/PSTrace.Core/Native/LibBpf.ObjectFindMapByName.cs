using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr ObjectFindMapByNameNative(SafeBpfObject obj, string name);

    /// <summary>bpf_object__find_map_by_name: the map (owned by the object) or an error naming what is missing.</summary>
    public static IntPtr ObjectFindMapByName(SafeBpfObject obj, string name, string path)
    {
        IntPtr map = ObjectFindMapByNameNative(obj, name);
        if (map == IntPtr.Zero)
        {
            throw new NativeException("bpf_object__find_map_by_name", Errno.ENOENT, path + ": " + name);
        }

        return map;
    }
}
