using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(SafeFileDescriptor fd, byte* buffer, nuint count);

    /// <summary>read(2): bytes read, 0 at end of file, -1 with errno EAGAIN when a non-blocking descriptor has nothing.</summary>
    public static unsafe int Read(SafeFileDescriptor fd, Span<byte> buffer, string path)
    {
        while (true)
        {
            fixed (byte* p = buffer)
            {
                nint n = ReadNative(fd, p, (nuint)buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno == Errno.EAGAIN)
                {
                    return -1;
                }

                throw new NativeException("read", errno, path);
            }
        }
    }
}
