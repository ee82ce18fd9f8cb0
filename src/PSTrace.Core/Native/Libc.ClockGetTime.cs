using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    public const int CLOCK_MONOTONIC = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTimeNative(int clock, out TimeSpec time);

    /// <summary>clock_gettime(2) in nanoseconds: the clock the "mono" trace clock reads.</summary>
    public static ulong ClockGetTime(int clock)
    {
        if (ClockGetTimeNative(clock, out TimeSpec t) != 0)
        {
            throw new NativeException("clock_gettime", Marshal.GetLastPInvokeError());
        }

        return (ulong)t.Seconds * 1_000_000_000UL + (ulong)t.Nanoseconds;
    }
}
