using PSTrace.Core.Records;

namespace PSTrace.Core.Pictures;

/// <summary>
/// function_graph calls as nested slices on their task's track: a tree is drawn whole from its root; a call of
/// Start-FunctionGraph -Flat (one object per call, every call of a tree after its root) is drawn with what is
/// below it unless it lies under the tree drawn last, so a tree piped call by call is drawn once.
/// </summary>
public sealed class TimelineCalls
{
    private readonly TimelineJsonWriter _writer;
    private readonly TimelineTracks _tracks;
    private FunctionCall? _lastDrawn;

    public TimelineCalls(TimelineJsonWriter writer, TimelineTracks tracks)
    {
        _writer = writer;
        _tracks = tracks;
    }

    /// <summary>Draws a call and the calls below it; false when it has no time, or no task and no CPU to put it on.</summary>
    public bool Draw(FunctionCall call)
    {
        if (IsBelowLastDrawn(call))
        {
            return true;
        }

        if (call.TimestampNanoseconds is null || (call.ProcessId is null && call.Cpu is null))
        {
            return false;
        }

        _lastDrawn = call;
        DrawTree(call, 0, ulong.MaxValue);
        return true;
    }

    /// <summary>
    /// Draws a call within its caller's slice [<paramref name="from"/>, <paramref name="to"/>), then its calls within its own.
    /// An entry's time and a call's duration are taken at different moments (the duration on the tracer's own clock
    /// reads), so a call can reach a little past its caller's end; it is cut there, or the viewers would not nest it,
    /// and its own duration stays in its arguments.
    /// </summary>
    private void DrawTree(FunctionCall call, ulong from, ulong to)
    {
        (ulong start, ulong end)? drawn = DrawOne(call, from, to);
        foreach (FunctionCall child in call.Children)
        {
            DrawTree(child, drawn?.start ?? from, drawn?.end ?? to);
        }
    }

    private (ulong start, ulong end)? DrawOne(FunctionCall call, ulong from, ulong to)
    {
        if (call.TimestampNanoseconds is not ulong entry)
        {
            return null;
        }

        ulong start = Math.Clamp(entry, from, to);

        int process;
        int thread;
        if (call.ProcessId is int task)
        {
            process = _tracks.ProcessOf(task);
            thread = task;
            _tracks.Use(process, thread, call.Command);
        }
        else if (call.Cpu is int cpu)
        {
            process = TimelineTracks.CpuProcessId;
            thread = _tracks.CpuCallsTrack(cpu);
        }
        else
        {
            return null;
        }

        string name = call.Function is null ? "?" : call.Module is null ? call.Function : $"{call.Function} [{call.Module}]";
        var args = new KeyValuePair<string, object?>[]
        {
            new("depth", call.Depth), new("cpu", call.Cpu), new("durationNanoseconds", call.DurationNanoseconds), new("selfTimeNanoseconds", call.SelfTimeNanoseconds),
            new("returnValue", call.ReturnValue), new("entryLost", call.IsEntryLost), new("exitLost", call.IsExitLost),
        };
        if (call.DurationNanoseconds is long duration && duration >= 0)
        {
            ulong end = Math.Min(start + (ulong)duration, to);
            _writer.Complete(name, "function", start, end - start, process, thread, args);
            return (start, end);
        }

        // The exit was lost: when the call ended is unknown, so it is a moment, not a slice of a guessed length.
        _writer.Instant(name, "function", start, process, thread, args);
        return (start, to);
    }

    private bool IsBelowLastDrawn(FunctionCall call)
    {
        for (FunctionCall? above = call.GetParent(); above is not null && _lastDrawn is not null; above = above.GetParent())
        {
            if (ReferenceEquals(above, _lastDrawn))
            {
                return true;
            }
        }

        return false;
    }
}
