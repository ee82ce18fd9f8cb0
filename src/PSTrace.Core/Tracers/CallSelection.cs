using System.Text.RegularExpressions;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tracers;

/// <summary>
/// -Function, -Exclude, -MaxDepth and -Flat over records already traced (a saved trace read with -Path), chosen as
/// the kernel would have chosen them live: set_graph_function makes each outermost call of a named function the root
/// of a tree, set_graph_notrace leaves a function out with everything it calls, max_graph_depth stops a tree that
/// many levels down from its root; for the function tracer, set_ftrace_filter and set_ftrace_notrace keep or drop hits
/// by the function called. TraceLostEvents records pass through.
/// </summary>
public sealed class CallSelection
{
    private readonly List<Regex> _functions;
    private readonly List<Regex> _excluded;
    private readonly int _maxDepth;
    private readonly bool _flat;

    /// <param name="functions">Kernel globs of the functions to keep (graph: the roots); empty for all.</param>
    /// <param name="excluded">Kernel globs of the functions to leave out (graph: with what they call).</param>
    /// <param name="maxDepth">Levels of a tree to keep, its root being the first; 0 for all.</param>
    /// <param name="flat">One FunctionCall per call rather than one per tree.</param>
    public CallSelection(IReadOnlyList<string> functions, IReadOnlyList<string> excluded, int maxDepth = 0, bool flat = false)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(excluded);
        _functions = functions.Select(CallScope.GlobToRegex).ToList();
        _excluded = excluded.Select(CallScope.GlobToRegex).ToList();
        _maxDepth = maxDepth;
        _flat = flat;
    }

    /// <summary>Records (trees or hits) that the selection left out entirely.</summary>
    public long Excluded { get; private set; }

    /// <summary>The records kept and cut to the selection, in order; FunctionCall records must be whole trees.</summary>
    public IEnumerable<object> Apply(IEnumerable<object> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (object record in records)
        {
            switch (record)
            {
                case FunctionCall tree:
                    bool any = false;
                    foreach (FunctionCall root in Roots(tree))
                    {
                        any = true;
                        FunctionCall kept = Cut(root);
                        foreach (FunctionCall call in _flat ? kept.GetDescendantsAndSelf() : [kept])
                        {
                            yield return call;
                        }
                    }

                    if (!any)
                    {
                        Excluded++;
                    }

                    break;
                case FunctionHit hit when !Keeps(hit.Function):
                    Excluded++;
                    break;
                default:
                    yield return record;
                    break;
            }
        }
    }

    private bool Keeps(string? function) =>
        (_functions.Count == 0 || Matches(_functions, function)) && !Matches(_excluded, function);

    private static bool Matches(List<Regex> patterns, string? function) => function is not null && patterns.Any(p => p.IsMatch(function));

    /// <summary>The outermost calls of the functions asked for (the tree itself when none is named), less those excluded.</summary>
    private IEnumerable<FunctionCall> Roots(FunctionCall tree)
    {
        if (_functions.Count == 0)
        {
            if (!Matches(_excluded, tree.Function))
            {
                yield return tree;
            }

            yield break;
        }

        var pending = new Stack<FunctionCall>();
        pending.Push(tree);
        while (pending.Count > 0)
        {
            FunctionCall call = pending.Pop();
            if (Matches(_excluded, call.Function))
            {
                continue;
            }

            if (Matches(_functions, call.Function))
            {
                yield return call;
                continue;
            }

            for (int i = call.Children.Count - 1; i >= 0; i--)
            {
                pending.Push(call.Children[i]);
            }
        }
    }

    /// <summary>
    /// The root as the kernel would have traced it: a call found inside another tree becomes a root of depth 0, and
    /// what -Exclude or -MaxDepth leaves out is cut. Unchanged when there is nothing to cut.
    /// </summary>
    private FunctionCall Cut(FunctionCall root)
    {
        if (root.GetParent() is null && _maxDepth == 0 && _excluded.Count == 0)
        {
            return root;
        }

        return Copy(root, root.GetParent() is null ? 0 : root.Depth, root.Depth);
    }

    private FunctionCall Copy(FunctionCall call, int rebase, int rootDepth)
    {
        var copy = new FunctionCall(call.Function, call.Module, call.Depth - rebase, call.Cpu, call.ProcessId, call.Command, call.TimestampNanoseconds, call.IsEntryLost)
        {
            DurationNanoseconds = call.DurationNanoseconds,
            ReturnValue = call.ReturnValue,
            Overruns = call.Overruns,
            IsExitLost = call.IsExitLost,
        };

        if (_maxDepth == 0 || call.Depth - rootDepth + 1 < _maxDepth)
        {
            foreach (FunctionCall child in call.Children)
            {
                if (!Matches(_excluded, child.Function))
                {
                    copy.AddChild(Copy(child, rebase, rootDepth));
                }
            }
        }

        return copy;
    }
}
