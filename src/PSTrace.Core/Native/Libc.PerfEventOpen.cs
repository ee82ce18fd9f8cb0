using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    private const long SysPerfEventOpen = 298; // x86_64
    private const uint PerfTypeSoftware = 1;
    private const ulong PerfCountSwCpuClock = 0;
    private const ulong PerfAttrFreq = 1UL << 10; // the attr's freq bit: sample_freq, not sample_period
    private const ulong PerfFlagFdCloexec = 1UL << 3;
    private const int PerfAttrSize = 128; // PERF_ATTR_SIZE_VER7: every kernel PSTrace runs on knows it

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallNative(long number, void* attr, int pid, int cpu, int groupFd, ulong flags);

    /// <summary>
    /// perf_event_open(2) of a software cpu-clock event on one CPU for every task (pid -1), sampling
    /// <paramref name="frequency"/> times a second: what a BPF perf_event program is attached to. The event counts
    /// from the start (not disabled); its samples go to the program only (no sample_type, no ring buffer).
    /// </summary>
    public static unsafe SafeFileDescriptor PerfEventOpenCpuClock(int cpu, int frequency)
    {
        Span<byte> attr = stackalloc byte[PerfAttrSize];
        attr.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(attr, PerfTypeSoftware);
        BinaryPrimitives.WriteUInt32LittleEndian(attr[4..], PerfAttrSize);
        BinaryPrimitives.WriteUInt64LittleEndian(attr[8..], PerfCountSwCpuClock);
        BinaryPrimitives.WriteUInt64LittleEndian(attr[16..], (ulong)frequency);
        BinaryPrimitives.WriteUInt64LittleEndian(attr[40..], PerfAttrFreq);
        long fd;
        fixed (byte* a = attr)
        {
            fd = SyscallNative(SysPerfEventOpen, a, -1, cpu, -1, PerfFlagFdCloexec);
        }

        if (fd < 0)
        {
            throw new NativeException("perf_event_open", Marshal.GetLastPInvokeError(), "cpu-clock on CPU " + cpu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new SafeFileDescriptor((int)fd);
    }
}
