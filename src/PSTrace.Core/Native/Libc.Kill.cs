using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGCONT = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>kill(2): sends a signal to one process; throws NativeException with the errno on failure.</summary>
    public static void Kill(int pid, int signal)
    {
        if (KillNative(pid, signal) != 0)
        {
            throw new NativeException("kill", Marshal.GetLastPInvokeError(), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
