using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(SafeFileDescriptor fd, byte* buffer, nuint count);

    /// <summary>write(2) of the whole buffer in one call: tracefs control files take a command per write.</summary>
    public static unsafe void Write(SafeFileDescriptor fd, ReadOnlySpan<byte> data, string path)
    {
        fixed (byte* p = data)
        {
            nint n = WriteNative(fd, p, (nuint)data.Length);
            if (n < 0)
            {
                throw new NativeException("write", Marshal.GetLastPInvokeError(), path);
            }
        }
    }
}
