using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach", SetLastError = true)]
    private static partial IntPtr ProgramAttachNative(IntPtr program);

    /// <summary>bpf_program__attach: attaches a program where its SEC() name says (a tracepoint here).</summary>
    public static SafeBpfLink ProgramAttach(IntPtr program, string name)
    {
        IntPtr link = ProgramAttachNative(program);
        if (link == IntPtr.Zero)
        {
            throw new NativeException("bpf_program__attach", Marshal.GetLastPInvokeError(), name);
        }

        return new SafeBpfLink(link);
    }
}
