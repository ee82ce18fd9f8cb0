using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    /// <summary>bpf_object__close: unloads the programs and closes the maps (SafeBpfObject calls it once).</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__close")]
    public static partial void ObjectClose(IntPtr obj);
}
