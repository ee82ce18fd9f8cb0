using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr ObjectFindProgramByNameNative(SafeBpfObject obj, string name);

    /// <summary>bpf_object__find_program_by_name: the program (owned by the object) or an error naming what is missing.</summary>
    public static IntPtr ObjectFindProgramByName(SafeBpfObject obj, string name, string path)
    {
        IntPtr program = ObjectFindProgramByNameNative(obj, name);
        if (program == IntPtr.Zero)
        {
            throw new NativeException("bpf_object__find_program_by_name", Errno.ENOENT, path + ": " + name);
        }

        return program;
    }
}
