using System.Runtime.InteropServices;
using PSTrace.Core.Native;

namespace PSTrace.Core.Bpf;

/// <summary>
/// libbpf's messages, captured rather than written to stderr: the verifier's log and libbpf's reasons go into
/// the error of the load that failed. libbpf's print callback is process-wide; the messages of a load are
/// kept per thread, since a load runs on the thread that asked for it.
/// </summary>
internal static class LibBpfLog
{
    private const int LevelWarning = 0;
    private const int LevelInfo = 1;

    [ThreadStatic]
    private static List<string>? t_messages;

    private static int s_installed;

    /// <summary>Runs <paramref name="action"/> with libbpf's warnings and notes added to <paramref name="messages"/> (kept when it throws).</summary>
    public static T Capture<T>(Func<T> action, List<string> messages)
    {
        Install();
        List<string>? outer = t_messages;
        t_messages = messages;
        try
        {
            return action();
        }
        finally
        {
            t_messages = outer;
        }
    }

    private static unsafe void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            LibBpf.SetPrint(&Print);
        }
    }

    /// <summary>libbpf's print callback: debug messages are dropped, the rest kept for the current load (or dropped outside one).</summary>
    [UnmanagedCallersOnly]
    private static int Print(int level, IntPtr format, IntPtr arguments)
    {
        try
        {
            if (level <= LevelInfo && t_messages is { } messages)
            {
                string text = Libc.Vsnprintf(format, arguments).TrimEnd('\n');
                if (text.Length > 0)
                {
                    messages.Add(level == LevelWarning ? text : "(info) " + text);
                }
            }
        }
        catch (Exception)
        {
            // An exception must not cross into native code; a lost message is the lesser harm.
        }

        return 0;
    }
}
