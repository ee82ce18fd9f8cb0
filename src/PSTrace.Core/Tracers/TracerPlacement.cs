using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// Where a tracer runs: in the session's own instance when the kernel lets instances run it, else in
/// the top-level buffer, and there only when nobody is using it. Older kernels (6.1 among them) run
/// function_graph only at the top level; an instance lists what it can run in its own available_tracers.
/// </summary>
public static class TracerPlacement
{
    /// <exception cref="TraceException">The tracer is not offered at all, or only at a top level that is busy.</exception>
    public static TraceBuffer Choose(TraceSession session, string tracer)
    {
        if (Offers(session.Buffer, tracer))
        {
            return session.Buffer;
        }

        TraceBuffer top = session.Fs.TopLevel;
        if (!Offers(top, tracer))
        {
            throw new TraceException(TraceErrorKind.NotSupported, Capabilities.ErrorIdFor("Tracer:" + tracer),
                $"The {tracer} tracer is not in available_tracers.", "Get-TraceCapability -Name 'Tracer:*' shows what this kernel offers.", tracer);
        }

        string? busy = WhyBusy(top);
        if (busy is not null)
        {
            throw new TraceException(TraceErrorKind.Busy, "TopLevelBufferBusy",
                $"This kernel runs the {tracer} tracer only in the top-level buffer, and that buffer is in use: {busy}.",
                "Wait until the other tracing ends (Get-TraceInstance shows PSTrace's own sessions), or stop it if it is yours; "
                + "PSTrace does not take over a top-level buffer someone else is using.", tracer);
        }

        return top;
    }

    /// <summary>Why the top-level buffer cannot be borrowed (a tracer set, events enabled), or null when it is idle.</summary>
    internal static string? WhyBusy(TraceBuffer top)
    {
        string current = top.Read("current_tracer").Trim();
        if (current != "nop")
        {
            return $"its current_tracer is '{current}'";
        }

        string[] events = top.Read("set_event").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return events.Length > 0 ? $"{events.Length} event(s) are enabled in it ({string.Join(", ", events.Take(3))}{(events.Length > 3 ? ", ..." : "")})" : null;
    }

    private static bool Offers(TraceBuffer buffer, string tracer)
    {
        try
        {
            return buffer.Read("available_tracers").Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(tracer, StringComparer.Ordinal);
        }
        catch (TraceException)
        {
            return false;
        }
    }
}
