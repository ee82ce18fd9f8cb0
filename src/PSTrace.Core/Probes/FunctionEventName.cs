using System.Text;

namespace PSTrace.Core.Probes;

/// <summary>
/// The event name a probe on a named function gets when the user names none, the way perf probe names them:
/// the function's name ("readline"), with "__return" for a return probe ("readline__return"). Readable where the
/// kernel's own default is not (p_bash_0xc6c20), and an entry and a return probe on one function do not clash.
/// </summary>
public static class FunctionEventName
{
    public const string ReturnSuffix = "__return";

    /// <param name="function">A kernel or ELF symbol, possibly versioned ("getaddrinfo@@GLIBC_2.2.5") or with a compiler suffix ("foo.isra.0").</param>
    public static string For(string function, bool isReturn)
    {
        ArgumentNullException.ThrowIfNull(function);
        int at = function.IndexOf('@', StringComparison.Ordinal);
        string bare = at >= 0 ? function[..at] : function;
        var sb = new StringBuilder(bare.Length + 1);
        foreach (char c in bare)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        string suffix = isReturn ? ReturnSuffix : "";
        int room = ProbeNames.MaxNameLength - suffix.Length;
        return (sb.Length > room ? sb.ToString(0, room) : sb.ToString()) + suffix;
    }
}
