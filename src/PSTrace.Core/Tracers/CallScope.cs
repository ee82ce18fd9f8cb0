using System.Text;
using System.Text.RegularExpressions;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tracers;

/// <summary>
/// Which of the records the kernel wrote are the ones asked for. Around a context switch the graph
/// tracer also records a few calls of the task switched from or to (switch_mm_irqs_off,
/// finish_task_switch) as graphs of their own, outside set_graph_function and under another pid:
/// the pid filter is applied at the switch, while the switch itself is still running. Those are left out.
/// </summary>
public sealed class CallScope
{
    private readonly List<Regex> _functions;
    private readonly HashSet<int>? _threads;

    /// <param name="functions">The -Function patterns (kernel globs); empty for every function.</param>
    /// <param name="threadIds">The traced threads; null when any task may belong (children followed, or no pid filter).</param>
    public CallScope(IReadOnlyList<string> functions, IReadOnlyCollection<int>? threadIds)
    {
        _functions = functions.Select(GlobToRegex).ToList();
        _threads = threadIds is { Count: > 0 } ? new HashSet<int>(threadIds) : null;
    }

    /// <summary>Records left out so far.</summary>
    public long Excluded { get; private set; }

    /// <summary>
    /// A call belongs when its tree's outermost call is one of the functions asked for (or lost its entry,
    /// so its name is unknown) and ran in one of the threads asked for.
    /// </summary>
    public bool Includes(FunctionCall call)
    {
        FunctionCall root = call;
        while (root.GetParent() is { } parent)
        {
            root = parent;
        }

        bool wanted = (root.IsEntryLost || Matches(root.Function)) && InThreads(root.ProcessId);
        return Count(wanted);
    }

    public bool Includes(FunctionHit hit) => Count(InThreads(hit.ProcessId));

    private bool Count(bool wanted)
    {
        if (!wanted)
        {
            Excluded++;
        }

        return wanted;
    }

    private bool Matches(string? function) => _functions.Count == 0 || function is not null && _functions.Any(f => f.IsMatch(function));

    private bool InThreads(int? pid) => _threads is null || pid is null || _threads.Contains(pid.Value);

    // The kernel's globs: '*', '?' and '[...]' (set_ftrace_filter's glob matching); everything else literal.
    internal static Regex GlobToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            int close = c == '[' ? glob.IndexOf(']', i + 1) : -1;
            if (close > i + 1)
            {
                sb.Append('[').Append(Regex.Escape(glob[(i + 1)..close]).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                i = close;
            }
            else
            {
                sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
