using System.Text.RegularExpressions;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// A kernel function name or glob for the ftrace filter files (set_ftrace_filter, set_graph_function
/// and their notrace twins). Those files also take commands ("!name" removes, "name:traceoff" adds a
/// trigger, ":mod:x" selects a module), so only a name with glob characters gets through.
/// </summary>
public static partial class FunctionPattern
{
    // Letters, digits, '_' and '.' (compiler suffixes: "finish_task_switch.isra.0"), plus the kernel's
    // glob characters '*', '?' and '[...]'.
    [GeneratedRegex(@"^[A-Za-z0-9_.*?\[\]]{1,256}$")]
    private static partial Regex Valid();

    /// <exception cref="TraceException">The text is not a function name or glob.</exception>
    public static string Validate(string pattern)
    {
        string trimmed = pattern.Trim();
        if (!Valid().IsMatch(trimmed))
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "InvalidFunctionName",
                $"'{pattern}' is not a kernel function name or wildcard pattern.",
                "Use letters, digits, '_', '.', and the wildcards '*', '?' and '[...]' (for example vfs_* or do_sys_open*).", pattern);
        }

        return trimmed;
    }

    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;
}
