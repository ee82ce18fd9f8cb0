using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "vsnprintf")]
    private static unsafe partial int VsnprintfNative(byte* buffer, nuint size, IntPtr format, IntPtr arguments);

    /// <summary>
    /// vsnprintf(3): formats a printf format with a va_list a native caller handed over (libbpf's messages).
    /// On x86-64 a va_list argument is a pointer, so it passes through as one. The list is used once.
    /// </summary>
    public static unsafe string Vsnprintf(IntPtr format, IntPtr arguments)
    {
        const int Size = 4096;
        byte* buffer = stackalloc byte[Size];
        int n = VsnprintfNative(buffer, Size, format, arguments);
        return n <= 0 ? "" : Marshal.PtrToStringUTF8((IntPtr)buffer, Math.Min(n, Size - 1));
    }
}
