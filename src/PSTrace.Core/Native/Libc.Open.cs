using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    /// <summary>open(2); throws NativeException with the errno on failure.</summary>
    public static SafeFileDescriptor Open(string path, int flags)
    {
        // open returns a C int: read it as one (a SafeHandle return would take 64 bits and see -1 as a large valid value).
        int fd = OpenNative(path, flags | O_CLOEXEC);
        if (fd < 0)
        {
            throw new NativeException("open", Marshal.GetLastPInvokeError(), path);
        }

        return new SafeFileDescriptor(fd);
    }
}
