namespace PSTrace.Core.Processes;

/// <summary>Whether a process exists and what state it is in, from /proc (no signals sent).</summary>
public static class ProcessInfo
{
    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The state letter of /proc/PID/stat ('T' when stopped), or null when the process is gone.</summary>
    public static char? StateOf(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) S ...": the comm may hold spaces and parentheses, so look after the last ')'.
        int close = text.LastIndexOf(')');
        return close >= 0 && close + 2 < text.Length ? text[close + 2] : null;
    }
}
