using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    private const int AT_FDCWD = -100;
    private const uint STATX_TYPE = 0x1;

    // struct statx is the same on every architecture (unlike struct stat): stx_mode is the u16 at byte 28.
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFIFO = 0x1000;
    public const int S_IFCHR = 0x2000;
    public const int S_IFBLK = 0x6000;
    public const int S_IFSOCK = 0xC000;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>statx(2) for the file type bits (S_IFMT) of a path, following symbolic links; throws NativeException on failure.</summary>
    public static unsafe int FileType(string path)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (StatxNative(AT_FDCWD, path, 0, STATX_TYPE, buffer) != 0)
        {
            throw new NativeException("statx", Marshal.GetLastPInvokeError(), path);
        }

        return *(ushort*)(buffer + StatxModeOffset) & S_IFMT;
    }
}
