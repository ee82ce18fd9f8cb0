using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Text;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Tells from the first lines of a saved trace which tracer wrote it: the "# tracer: NAME" header of
/// `cat trace` when there is one, else the shape of the lines (trace_pipe and trace-cmd report have no
/// such header): graph lines ("0)  1.234 us  |  f();", "funcgraph_entry:"), function tracer hits
/// ("f &lt;-caller", "function:"), or anything else, read as events.
/// </summary>
public static class TraceFormatSniffer
{
    /// <summary>How many lines to look at: enough to get past a header, a lost-events note or a stray error line.</summary>
    public const int LinesToRead = 100;

    private const string TracerHeader = "# tracer:";

    public static TraceTextFormat Detect(IEnumerable<string> firstLines)
    {
        var parser = new FunctionGraphLineParser();
        int graph = 0, hits = 0, other = 0;
        foreach (string line in firstLines)
        {
            ReadOnlySpan<char> trimmed = line.AsSpan().Trim();
            if (trimmed.StartsWith(TracerHeader))
            {
                return trimmed[TracerHeader.Length..].Trim() switch
                {
                    "function_graph" => TraceTextFormat.FunctionGraph,
                    "function" => TraceTextFormat.Function,
                    _ => TraceTextFormat.Events,
                };
            }

            if (trimmed.IsEmpty || trimmed[0] == '#' || trimmed.StartsWith("CPU:") || trimmed.StartsWith("cpus=") || trimmed.StartsWith("-----"))
            {
                continue;
            }

            if (parser.Parse(line).Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf or FunctionGraphLineKind.Exit or FunctionGraphLineKind.ContextSwitch)
            {
                graph++;
            }
            else if (IsFunctionHit(line))
            {
                hits++;
            }
            else
            {
                other++;
            }
        }

        if (graph > 0 && graph >= hits + other)
        {
            return TraceTextFormat.FunctionGraph;
        }

        return hits > 0 && hits >= other ? TraceTextFormat.Function : TraceTextFormat.Events;
    }

    /// <summary>
    /// Whether the first lines are trace text at all: an ftrace header, or one line of a shape some tracer
    /// prints (an event, a lost-events note, a graph line). False for a program, a config file, /etc/passwd;
    /// true for no lines (an empty capture is an empty trace). A NUL character is never in trace text.
    /// </summary>
    public static bool HasTraceShape(IReadOnlyList<string> firstLines)
    {
        var graph = new FunctionGraphLineParser();
        bool any = false;
        foreach (string line in firstLines)
        {
            if (line.Contains('\0'))
            {
                return false;
            }

            ReadOnlySpan<char> trimmed = line.AsSpan().Trim();
            if (trimmed.IsEmpty)
            {
                continue;
            }

            any = true;
            if (IsFtraceHeader(trimmed)
                || TraceLineParser.Classify(line, out _, out _, out _) is not (TraceLineKind.Unknown or TraceLineKind.Comment or TraceLineKind.Blank)
                || graph.Parse(line).Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf or FunctionGraphLineKind.Exit or FunctionGraphLineKind.ContextSwitch)
            {
                return true;
            }
        }

        return !any;
    }

    // "# tracer: nop", the column header of `cat trace` ("#           TASK-PID ..."), function_graph's "# CPU  DURATION", trace-cmd report's "cpus=2".
    private static bool IsFtraceHeader(ReadOnlySpan<char> trimmed) =>
        trimmed.StartsWith(TracerHeader)
        || (trimmed[0] == '#' && (trimmed.Contains("TASK-PID", StringComparison.Ordinal) || trimmed.Contains("DURATION", StringComparison.Ordinal)))
        || (trimmed.StartsWith("cpus=") && int.TryParse(trimmed[5..], out _));

    // "comm-pid [cpu] flags ts: name <-caller" (tracefs) or "comm-pid [cpu] ts: function:   name" (trace-cmd report)
    private static bool IsFunctionHit(string line)
    {
        if (!LinePrefix.TryParseAnyLayout(line, out LinePrefix prefix))
        {
            return false;
        }

        ReadOnlySpan<char> body = line.AsSpan(prefix.TextStart).Trim();
        if (body.StartsWith("function:"))
        {
            return true;
        }

        int arrow = body.IndexOf(" <-");
        return arrow > 0 && body[..arrow].IndexOfAny(": (") < 0;
    }
}
