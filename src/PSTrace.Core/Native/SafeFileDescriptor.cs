using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

/// <summary>An open file descriptor, closed exactly once.</summary>
internal sealed class SafeFileDescriptor : SafeHandle
{
    public SafeFileDescriptor(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Libc.Close((int)handle.ToInt64()) == 0;
}
