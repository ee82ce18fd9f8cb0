namespace PSTrace.Core.Native;

/// <summary>
/// libbpf (Debian's libbpf1, libbpf.so.1): the loader for PSTrace's own BPF programs, one function a file.
/// libbpf 1.x reports a failed call returning a pointer with null and errno, one returning int with a
/// negative errno. A machine without libbpf.so.1 throws DllNotFoundException at the first call:
/// Bpf.BpfCapability checks for the library before anything calls in here.
/// </summary>
internal static partial class LibBpf
{
    /// <summary>The soname: the library every libbpf 1.x installs, never the -dev package's libbpf.so.</summary>
    public const string LibraryName = "libbpf.so.1";
}
