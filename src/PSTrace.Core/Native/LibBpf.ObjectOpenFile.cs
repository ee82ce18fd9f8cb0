using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr ObjectOpenFileNative(string path, IntPtr options);

    /// <summary>bpf_object__open_file: parses a compiled BPF object (ELF); nothing reaches the kernel yet.</summary>
    public static SafeBpfObject ObjectOpenFile(string path)
    {
        IntPtr obj = ObjectOpenFileNative(path, IntPtr.Zero);
        if (obj == IntPtr.Zero)
        {
            throw new NativeException("bpf_object__open_file", Marshal.GetLastPInvokeError(), path);
        }

        return new SafeBpfObject(obj);
    }
}
