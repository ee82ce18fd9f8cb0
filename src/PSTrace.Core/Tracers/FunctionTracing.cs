using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// A function or function_graph trace, set up and ready: its own session instance (or, where the kernel
/// runs the tracer only there, the idle top-level buffer), filters, pids and options written, the tracer
/// chosen, tracing still off. <see cref="TracingOn"/> starts it; Dispose puts back everything it changed
/// and removes the instance.
/// </summary>
public sealed class FunctionTracing : IDisposable
{
    // Graph output with the task on every line (funcgraph-proc) can be taken apart per task even when
    // several CPUs interleave; abstime gives every call its start, tail names every exit.
    private static readonly string[] GraphOptions = ["funcgraph-proc", "funcgraph-abstime", "funcgraph-tail"];

    private readonly TraceSession _session;
    private readonly TracerSettings _settings;

    private FunctionTracing(TraceSession session, TraceBuffer buffer, FunctionTracingOptions options)
    {
        _session = session;
        _settings = new TracerSettings(session);
        Buffer = buffer;
        Options = options;
    }

    /// <summary>The buffer the tracer runs in: the session's instance, or the top-level buffer.</summary>
    public TraceBuffer Buffer { get; }

    public FunctionTracingOptions Options { get; }

    public bool UsesTopLevel => Buffer.IsTopLevel;

    /// <summary>The session's instance name (it exists even when the tracer runs at the top level).</summary>
    public string SessionName => _session.Name;

    /// <summary>What was changed outside the session's instance, to be put back at Dispose.</summary>
    public IReadOnlyList<string> Changes => _session.Changes;

    /// <summary>Fires when the session starts to close (Dispose, a signal, process exit): readers of the trace must stop on it.</summary>
    public CancellationToken Closing => _session.Closing;

    /// <summary>Problems met while putting things back (after Dispose), for warnings.</summary>
    public IReadOnlyList<string> CleanupFailures => _session.CleanupFailures;

    /// <summary>Functions the filter matched, as the kernel lists them back; null when nothing was filtered or the list cannot be read.</summary>
    public int? MatchedFunctions { get; private set; }

    /// <summary>Checks the tracer, starts a session and writes every setting; tracing stays off.</summary>
    /// <exception cref="TraceException">The kernel lacks the tracer, a function matches nothing, or the top level is busy.</exception>
    public static FunctionTracing Start(Tracefs.Tracefs fs, FunctionTracingOptions options)
    {
        Capabilities.Require(fs, "Tracer:" + options.Tracer);
        TraceSession session = TraceSession.Start(fs);
        try
        {
            var tracing = new FunctionTracing(session, TracerPlacement.Choose(session, options.Tracer), options);
            tracing.Configure();
            return tracing;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void TracingOn(bool on) => _settings.Write(Buffer, "tracing_on", on ? "1" : "0");

    /// <summary>Restricts the trace to these threads (set_ftrace_pid), e.g. a program started stopped after the setup.</summary>
    public void TraceThreads(IReadOnlyList<int> threadIds) =>
        _settings.WriteList(Buffer, "set_ftrace_pid", threadIds.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());

    public void Dispose() => _session.Dispose();

    private void Configure()
    {
        TracingOn(false);
        TraceBuffer filters = Options.FilterIsKernelWide ? _session.Fs.TopLevel : Buffer;
        if (Options.Functions.Count > 0)
        {
            WriteFunctions(filters, Options.FilterFile, Options.Functions);
            MatchedFunctions = CountListed(filters, Options.FilterFile);
        }
        else if (Options.IsGraph || filters.IsTopLevel)
        {
            // A kernel-wide or borrowed filter may hold someone's old list: empty it (journaled) so "all" means all.
            ClearIfSet(filters, Options.FilterFile);
        }

        if (Options.Excluded.Count > 0)
        {
            WriteFunctions(filters, Options.NotraceFile, Options.Excluded);
        }
        else if (Options.IsGraph || filters.IsTopLevel)
        {
            ClearIfSet(filters, Options.NotraceFile);
        }

        if (Options.IsGraph)
        {
            if (Options.MaxDepth is int depth)
            {
                _settings.Write(_session.Fs.TopLevel, "max_graph_depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            foreach (string option in GraphOptions)
            {
                SetOption(option, true);
            }
        }

        TraceThreads(Options.ThreadIds);
        SetOption("function-fork", Options.FollowForks);
        _settings.Write(Buffer, "current_tracer", Options.Tracer);
    }

    private void SetOption(string option, bool on)
    {
        string file = "options/" + option;
        if (File.Exists(Buffer.PathOf(file)))
        {
            _settings.Write(Buffer, file, on ? "1" : "0");
        }
        else if (on)
        {
            throw new TraceException(TraceErrorKind.NotSupported, "TraceOptionMissing",
                $"The kernel has no option '{option}' in {Buffer.DisplayName}.", null, option);
        }
    }

    private void WriteFunctions(TraceBuffer buffer, string file, IReadOnlyList<string> functions)
    {
        try
        {
            _settings.WriteList(buffer, file, functions);
        }
        catch (KernelRejectedException e) when (e.Errno == Native.Errno.EINVAL)
        {
            throw new TraceException(TraceErrorKind.NotFound, "FunctionNotFound",
                $"No traceable kernel function matches '{e.Written}' (the kernel answered '{e.ErrnoText}' when it was written to {file}).",
                "Pick names from available_filter_functions (Tab completes them); inlined and notrace functions cannot be traced.", e.Written, e);
        }
    }

    private void ClearIfSet(TraceBuffer buffer, string file)
    {
        if (File.Exists(buffer.PathOf(file)) && TracerSettings.ParseList(buffer.Read(file)).Count > 0)
        {
            _settings.WriteList(buffer, file, []);
        }
    }

    private static int? CountListed(TraceBuffer buffer, string file)
    {
        try
        {
            return TracerSettings.ParseList(buffer.Read(file)).Count;
        }
        catch (TraceException)
        {
            return null;
        }
    }
}
