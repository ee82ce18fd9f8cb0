using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    /// <summary>struct bpf_tracepoint_opts of libbpf 1.x: its own size, then the cookie the program reads with bpf_get_attach_cookie.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TracepointOptions
    {
        public nuint Size;
        public ulong Cookie;
    }

    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_tracepoint_opts", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial IntPtr ProgramAttachTracepointNative(IntPtr program, string system, string name, TracepointOptions* options);

    /// <summary>
    /// bpf_program__attach_tracepoint_opts: attaches a program to the tracepoint <paramref name="system"/>:<paramref name="name"/>
    /// with a cookie that tells the program which attachment ran it.
    /// </summary>
    public static unsafe SafeBpfLink ProgramAttachTracepoint(IntPtr program, string system, string name, ulong cookie)
    {
        var options = new TracepointOptions { Size = (nuint)sizeof(TracepointOptions), Cookie = cookie };
        IntPtr link = ProgramAttachTracepointNative(program, system, name, &options);
        if (link == IntPtr.Zero)
        {
            throw new NativeException("bpf_program__attach_tracepoint_opts", Marshal.GetLastPInvokeError(), system + ":" + name);
        }

        return new SafeBpfLink(link);
    }
}
