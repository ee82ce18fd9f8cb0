using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    /// <summary>bpf_link__destroy: detaches the program and frees the link (SafeBpfLink calls it once).</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_link__destroy")]
    public static partial int LinkDestroy(IntPtr link);
}
