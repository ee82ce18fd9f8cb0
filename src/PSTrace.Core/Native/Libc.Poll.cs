using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    public const short POLLIN = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int PollNative(PollFd* fds, nuint count, int timeoutMs);

    /// <summary>poll(2) on one descriptor for input: true when readable, false on timeout or interruption.</summary>
    public static unsafe bool PollIn(SafeFileDescriptor fd, int timeoutMs, string path)
    {
        var pfd = new PollFd { Fd = fd.Fd, Events = POLLIN };
        int n = PollNative(&pfd, 1, timeoutMs);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
            {
                return false;
            }

            throw new NativeException("poll", errno, path);
        }

        return n > 0;
    }
}
