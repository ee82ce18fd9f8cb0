using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__load")]
    private static partial int ObjectLoadNative(SafeBpfObject obj);

    /// <summary>bpf_object__load: creates the maps, relocates (CO-RE) and verifies the programs in the kernel.</summary>
    public static void ObjectLoad(SafeBpfObject obj, string path)
    {
        int ret = ObjectLoadNative(obj);
        if (ret < 0)
        {
            throw new NativeException("bpf_object__load", -ret, path);
        }
    }
}
