using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    /// <summary>
    /// libbpf_set_print: where libbpf writes its messages (by default stderr, which a pwsh host would show
    /// as stray text). The callback gets a level, a printf format and a va_list; returns the previous callback.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "libbpf_set_print")]
    public static unsafe partial IntPtr SetPrint(delegate* unmanaged<int, IntPtr, IntPtr, int> print);
}
