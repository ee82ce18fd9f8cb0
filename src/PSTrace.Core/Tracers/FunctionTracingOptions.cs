namespace PSTrace.Core.Tracers;

/// <summary>What a function or function_graph trace covers.</summary>
public sealed class FunctionTracingOptions
{
    public const string FunctionTracer = "function";
    public const string GraphTracer = "function_graph";

    public FunctionTracingOptions(string tracer, IReadOnlyList<string> functions, IReadOnlyList<string> excluded,
        IReadOnlyList<int> threadIds, bool followForks, int? maxDepth)
    {
        if (tracer is not (FunctionTracer or GraphTracer))
        {
            throw new ArgumentOutOfRangeException(nameof(tracer), tracer, "function or function_graph");
        }

        Tracer = tracer;
        Functions = functions.Select(FunctionPattern.Validate).ToList();
        Excluded = excluded.Select(FunctionPattern.Validate).ToList();
        ThreadIds = threadIds;
        FollowForks = followForks;
        MaxDepth = maxDepth;
    }

    /// <summary>"function" or "function_graph".</summary>
    public string Tracer { get; }

    public bool IsGraph => Tracer == GraphTracer;

    /// <summary>Functions (or globs) to trace: set_graph_function for the graph, set_ftrace_filter for the function tracer; empty for all.</summary>
    public IReadOnlyList<string> Functions { get; }

    /// <summary>Functions not to trace: set_graph_notrace (with everything they call) or set_ftrace_notrace.</summary>
    public IReadOnlyList<string> Excluded { get; }

    /// <summary>Threads to trace (set_ftrace_pid); empty for every task.</summary>
    public IReadOnlyList<int> ThreadIds { get; }

    /// <summary>Also trace the threads and processes they start (options/function-fork).</summary>
    public bool FollowForks { get; }

    /// <summary>max_graph_depth: how deep the graph goes below each traced function; null leaves it as it is.</summary>
    public int? MaxDepth { get; }

    /// <summary>The file -Function writes, and the buffer it lives in: graph filters are kernel-wide (top level only).</summary>
    internal string FilterFile => IsGraph ? "set_graph_function" : "set_ftrace_filter";

    internal string NotraceFile => IsGraph ? "set_graph_notrace" : "set_ftrace_notrace";

    internal bool FilterIsKernelWide => IsGraph;
}
