using System.Globalization;
using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

internal static partial class Libc
{
    public const int SIGKILL = 9;
    public const int SIGCONT = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>kill(2): sends <paramref name="signal"/> to process <paramref name="pid"/>.</summary>
    public static void Kill(int pid, int signal)
    {
        if (KillNative(pid, signal) != 0)
        {
            throw new NativeException("kill", Marshal.GetLastPInvokeError(), pid.ToString(CultureInfo.InvariantCulture));
        }
    }
}
