using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountNative(string source, string target, string fsType, ulong flags, IntPtr data);

    /// <summary>mount(2) of a pseudo filesystem with no options (tracefs).</summary>
    public static void Mount(string source, string target, string fsType)
    {
        if (MountNative(source, target, fsType, 0, IntPtr.Zero) != 0)
        {
            throw new NativeException("mount", Marshal.GetLastPInvokeError(), target);
        }
    }
}
