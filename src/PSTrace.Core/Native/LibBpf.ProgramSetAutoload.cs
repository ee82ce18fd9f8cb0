using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__set_autoload")]
    private static partial int ProgramSetAutoloadNative(IntPtr program, [MarshalAs(UnmanagedType.U1)] bool autoload);

    /// <summary>bpf_program__set_autoload: whether bpf_object__load loads the program (before the load only).</summary>
    public static void ProgramSetAutoload(IntPtr program, bool autoload, string name)
    {
        int result = ProgramSetAutoloadNative(program, autoload);
        if (result < 0)
        {
            throw new NativeException("bpf_program__set_autoload", -result, name);
        }
    }
}
