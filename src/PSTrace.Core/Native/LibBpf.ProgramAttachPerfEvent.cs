using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_perf_event", SetLastError = true)]
    private static partial IntPtr ProgramAttachPerfEventNative(IntPtr program, int perfEventFd);

    /// <summary>
    /// bpf_program__attach_perf_event: runs a perf_event program at each sample of an open perf event. On success the
    /// link owns the event's descriptor (bpf_link__destroy disables and closes it), so it is handed over: the
    /// SafeFileDescriptor no longer closes it. On failure it stays the caller's.
    /// </summary>
    public static SafeBpfLink ProgramAttachPerfEvent(IntPtr program, SafeFileDescriptor perfEvent, string name)
    {
        IntPtr link = ProgramAttachPerfEventNative(program, perfEvent.Fd);
        if (link == IntPtr.Zero)
        {
            throw new NativeException("bpf_program__attach_perf_event", Marshal.GetLastPInvokeError(), name);
        }

        perfEvent.SetHandleAsInvalid();
        return new SafeBpfLink(link);
    }
}
