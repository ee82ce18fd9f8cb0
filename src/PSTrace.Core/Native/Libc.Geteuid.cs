using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint Geteuid();
}
