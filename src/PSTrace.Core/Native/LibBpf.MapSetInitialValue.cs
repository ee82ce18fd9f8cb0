using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class LibBpf
{
    [LibraryImport(LibraryName, EntryPoint = "bpf_map__set_initial_value")]
    private static unsafe partial int MapSetInitialValueNative(IntPtr map, void* data, nuint size);

    /// <summary>
    /// bpf_map__set_initial_value: what a global data map (.rodata, .data) holds when the object is loaded; only
    /// before bpf_object__load, and only of the map's exact size (EINVAL otherwise).
    /// </summary>
    public static unsafe void MapSetInitialValue(IntPtr map, ReadOnlySpan<byte> data, string name)
    {
        fixed (byte* d = data)
        {
            int ret = MapSetInitialValueNative(map, d, (nuint)data.Length);
            if (ret < 0)
            {
                throw new NativeException("bpf_map__set_initial_value", -ret, name);
            }
        }
    }
}
