using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One function call from the function_graph tracer, with the calls it made as <see cref="Children"/>.
/// A call whose entry or exit the trace lost is kept and says so (<see cref="IsEntryLost"/>,
/// <see cref="IsExitLost"/>); what the trace did not show is null, never guessed.
/// </summary>
/// <remarks>
/// The parent link is a method, not a property, so serializers (ConvertTo-Json, Export-Clixml)
/// walk down the tree and never back up it in a cycle.
/// </remarks>
public sealed class FunctionCall
{
    private static readonly IReadOnlyList<FunctionCall> NoChildren = Array.Empty<FunctionCall>();

    private List<FunctionCall>? _children;
    private FunctionCall? _parent;

    internal FunctionCall(string? function, string? module, int depth, int? cpu, int? processId, string? command, ulong? timestampNanoseconds, bool isEntryLost)
    {
        Function = function;
        Module = module;
        Depth = depth;
        Cpu = cpu;
        ProcessId = processId;
        Command = command;
        TimestampNanoseconds = timestampNanoseconds;
        IsEntryLost = isEntryLost;
    }

    /// <summary>The function's name as the kernel printed it; null when neither its entry nor a named exit was seen.</summary>
    public string? Function { get; internal set; }

    /// <summary>The module the function lives in ("9pnet" for "p9_client_rpc [9pnet]"); null for the kernel proper.</summary>
    public string? Module { get; internal set; }

    /// <summary>The CPU the call was seen on (its entry, or its exit when the entry was lost); null when the output had no CPU column.</summary>
    public int? Cpu { get; }

    /// <summary>The task's pid (a thread id); null when the output did not say (no funcgraph-proc, before the first context-switch line).</summary>
    public int? ProcessId { get; internal set; }

    /// <summary>The task's comm; the kernel's graph output cuts it to 7 characters (funcgraph-proc and context-switch lines).</summary>
    public string? Command { get; internal set; }

    /// <summary>Nesting depth as the kernel counts it: 0 for the function that started the graph.</summary>
    public int Depth { get; }

    /// <summary>When the call began, in seconds of the trace clock; null when the output had no time for it.</summary>
    public decimal? Timestamp => TimestampNanoseconds is { } ns ? ns / 1_000_000_000m : null;

    /// <summary>When the call began, in nanoseconds of the trace clock (microsecond steps on the text path).</summary>
    public ulong? TimestampNanoseconds { get; internal set; }

    /// <summary>How long the call took, including the calls it made; null when its exit was lost or durations were off.</summary>
    public TimeSpan? Duration => DurationNanoseconds is { } ns ? TimeSpan.FromTicks(ns / 100) : null;

    /// <summary>The duration in nanoseconds, as exact as the source gives it (the text prints at most 7 digits of microseconds).</summary>
    public long? DurationNanoseconds { get; internal set; }

    /// <summary>Duration minus the children's durations; null when any of them is unknown.</summary>
    public TimeSpan? SelfTime => SelfTimeNanoseconds is { } ns ? TimeSpan.FromTicks(ns / 100) : null;

    /// <summary>
    /// Duration minus the children's durations, in nanoseconds. Never below zero: the kernel rounds long
    /// durations to whole microseconds, so children can add up to a little more than their parent.
    /// </summary>
    public long? SelfTimeNanoseconds
    {
        get
        {
            if (DurationNanoseconds is not { } total)
            {
                return null;
            }

            long children = 0;
            foreach (FunctionCall child in Children)
            {
                if (child.DurationNanoseconds is not { } d)
                {
                    return null;
                }

                children += d;
            }

            return Math.Max(0, total - children);
        }
    }

    /// <summary>The value the function returned (funcgraph-retval, kernels 6.5 and later); null when not traced.</summary>
    public long? ReturnValue { get; internal set; }

    /// <summary>The graph tracer's return-stack overruns reported with the exit (funcgraph-overrun).</summary>
    public int? Overruns { get; internal set; }

    /// <summary>True when the call made no traced calls.</summary>
    public bool IsLeaf => _children is null || _children.Count == 0;

    /// <summary>The trace lost the call's entry: only its exit (duration, perhaps name) was seen.</summary>
    public bool IsEntryLost { get; }

    /// <summary>The trace lost the call's exit (or ended before it): its duration is unknown.</summary>
    public bool IsExitLost { get; internal set; }

    /// <summary>The calls this one made, in the order they began.</summary>
    public IReadOnlyList<FunctionCall> Children => _children ?? NoChildren;

    /// <summary>The call that made this one; null for a root. A method, so serializers do not follow it.</summary>
    public FunctionCall? GetParent() => _parent;

    /// <summary>This call and every call below it, in the order they began.</summary>
    public IEnumerable<FunctionCall> GetDescendantsAndSelf()
    {
        var pending = new Stack<FunctionCall>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            FunctionCall call = pending.Pop();
            yield return call;
            IReadOnlyList<FunctionCall> children = call.Children;
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }

    internal void AddChild(FunctionCall child)
    {
        child._parent = this;
        (_children ??= new List<FunctionCall>(4)).Add(child);
    }

    public override string ToString()
    {
        string name = Function ?? "?";
        if (Module is not null)
        {
            name += " [" + Module + "]";
        }

        string time = DurationNanoseconds is { } ns
            ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1000m:0.000} us")
            : "exit lost";
        string lost = IsEntryLost ? " (entry lost)" : "";
        string calls = IsLeaf ? "" : string.Create(CultureInfo.InvariantCulture, $", {Children.Count} calls");
        return $"{name}() {time}{lost}{calls}";
    }
}
