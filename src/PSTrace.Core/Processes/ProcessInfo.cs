namespace PSTrace.Core.Processes;

/// <summary>Whether a process exists, from /proc (no signals sent).</summary>
public static class ProcessInfo
{
    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
