using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// Parses function_graph output line by line: the tracefs text (trace and trace_pipe) with any of
/// the funcgraph-* columns (abstime, cpu, proc, latency-format, duration, overhead marks), and the
/// funcgraph_entry / funcgraph_exit lines of trace-cmd report.
/// </summary>
/// <remarks>
/// The columns come in a fixed order, each closed by '|' (kernel/trace/trace_functions_graph.c):
/// [TIME |] [CPU)] [TASK/PID |] [latency flags |] [DURATION |] indentation body.
/// Names are pooled, so parsing allocates little beyond the line itself.
/// </remarks>
public sealed partial class FunctionGraphLineParser
{
    private const string IrqEntryMark = "==========>";
    private const string IrqExitMark = "<==========";

    private readonly StringPool _names = new();

    /// <summary>Distinct names (functions, modules, comms) seen so far.</summary>
    public int DistinctNames => _names.Count;

    public FunctionGraphLine Parse(ReadOnlySpan<char> line)
    {
        ReadOnlySpan<char> trimmed = line.Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#' || trimmed.StartsWith("------") || trimmed.StartsWith("cpus="))
        {
            return new FunctionGraphLine { Kind = FunctionGraphLineKind.Ignored };
        }

        if (trimmed.StartsWith("CPU:"))
        {
            return ParseLostEvents(trimmed);
        }

        if (trimmed.StartsWith("(Overruns:") && trimmed.EndsWith(")"))
        {
            bool ok = TextNumber.TryParseInt(trimmed["(Overruns:".Length..^1].Trim(), out int overruns);
            return ok
                ? new FunctionGraphLine { Kind = FunctionGraphLineKind.Overruns, Count = overruns }
                : new FunctionGraphLine { Kind = FunctionGraphLineKind.Unrecognized };
        }

        int traceCmdEvent = line.IndexOf(": funcgraph_");
        if (traceCmdEvent > 0)
        {
            return ParseTraceCmdLine(line);
        }

        return ParseKernelLine(line);
    }

    internal static FunctionGraphLine ParseLostEvents(ReadOnlySpan<char> trimmed)
    {
        // "CPU:0 [LOST 6457 EVENTS]", "CPU:0 [LOST EVENTS]", trace-cmd's "CPU:0 [EVENTS DROPPED]"
        ReadOnlySpan<char> rest = trimmed["CPU:".Length..];
        int space = rest.IndexOf(' ');
        if (space <= 0 || !TextNumber.TryParseInt(rest[..space], out int cpu))
        {
            return new FunctionGraphLine { Kind = FunctionGraphLineKind.Unrecognized };
        }

        ReadOnlySpan<char> what = rest[(space + 1)..].Trim();
        if (!what.StartsWith("[") || !what.EndsWith("]") || what.IndexOf("LOST") < 0 && what.IndexOf("DROPPED") < 0)
        {
            return new FunctionGraphLine { Kind = FunctionGraphLineKind.Unrecognized };
        }

        long? count = null;
        for (ReadOnlySpan<char> words = what[1..^1].Trim(); !words.IsEmpty;)
        {
            int end = words.IndexOf(' ');
            ReadOnlySpan<char> word = end < 0 ? words : words[..end];
            if (TextNumber.TryParseInt(word, out int n))
            {
                count = n;
            }

            words = end < 0 ? default : words[(end + 1)..].TrimStart();
        }

        return new FunctionGraphLine { Kind = FunctionGraphLineKind.LostEvents, Cpu = cpu, Count = count };
    }

    private FunctionGraphLine ParseTraceCmdLine(ReadOnlySpan<char> line)
    {
        if (!LinePrefix.TryParseAnyLayout(line, out LinePrefix prefix))
        {
            return new FunctionGraphLine { Kind = FunctionGraphLineKind.Unrecognized };
        }

        ReadOnlySpan<char> body = line[prefix.TextStart..];
        int colon = body.IndexOf(':');
        if (colon < 0 || !body[..colon].StartsWith("funcgraph_"))
        {
            return new FunctionGraphLine { Kind = FunctionGraphLineKind.Unrecognized };
        }

        var columns = new Columns
        {
            Cpu = prefix.Cpu,
            TimestampNanoseconds = prefix.Timestamp,
            ProcessId = prefix.ProcessId,
            Command = _names.Get(line.Slice(prefix.CommStart, prefix.CommLength)),
            Flags = prefix.FlagsLength == 0 ? null : _names.Get(line.Slice(prefix.FlagsStart, prefix.FlagsLength)),
        };
        return ParseColumnsAndBody(body[(colon + 1)..], columns);
    }

    private FunctionGraphLine ParseKernelLine(ReadOnlySpan<char> line)
    {
        var columns = new Columns();
        ReadOnlySpan<char> rest = line;

        // TIME: "%5lu.%06lu |  " (funcgraph-abstime)
        int bar = rest.IndexOf('|');
        if (bar > 0 && TextNumber.TryParseSeconds(rest[..bar].Trim(), out ulong time) && rest[..bar].Trim().IndexOf('.') > 0)
        {
            columns.TimestampNanoseconds = time;
            rest = SkipSpaces(rest[(bar + 1)..], 2);
        }

        // CPU: " %*d) "
        ReadOnlySpan<char> afterSpaces = rest.TrimStart();
        int paren = afterSpaces.IndexOf(')');
        if (paren > 0 && TextNumber.TryParseInt(afterSpaces[..paren], out int cpu))
        {
            columns.Cpu = cpu;
            rest = SkipSpaces(afterSpaces[(paren + 1)..], 1);
        }

        // A context switch: " 0)  comm-pid  =>  comm-pid" (printed whatever the columns)
        if (rest.IndexOf('|') < 0)
        {
            int arrow = rest.IndexOf(" => ");
            if (arrow >= 0)
            {
                return ParseContextSwitch(rest, arrow, columns.Cpu);
            }
        }

        return ParseColumnsAndBody(rest, columns);
    }

    private FunctionGraphLine ParseContextSwitch(ReadOnlySpan<char> rest, int arrow, int? cpu)
    {
        if (!LinePrefix.TrySplitTask(rest[..arrow].Trim(), out ReadOnlySpan<char> prevComm, out int prevPid)
            || !LinePrefix.TrySplitTask(rest[(arrow + 4)..].Trim(), out ReadOnlySpan<char> nextComm, out int nextPid))
        {
            return new FunctionGraphLine { Kind = FunctionGraphLineKind.Unrecognized };
        }

        return new FunctionGraphLine
        {
            Kind = FunctionGraphLineKind.ContextSwitch,
            Cpu = cpu,
            PreviousProcessId = prevPid,
            PreviousCommand = _names.Get(prevComm),
            ProcessId = nextPid,
            Command = _names.Get(nextComm),
        };
    }

    // What the columns in front of the body said.
    private struct Columns
    {
        public int? Cpu;
        public ulong? TimestampNanoseconds;
        public int? ProcessId;
        public string? Command;
        public string? Flags;
        public long? DurationNanoseconds;
        public char DurationMark;
    }

    private FunctionGraphLine ParseColumnsAndBody(ReadOnlySpan<char> rest, Columns columns)
    {
        // TASK/PID |, latency flags |, DURATION | — each segment up to a '|', in this order.
        while (true)
        {
            int bar = rest.IndexOf('|');
            if (bar < 0)
            {
                break;
            }

            ReadOnlySpan<char> segment = rest[..bar].Trim();
            if (segment.IsEmpty)
            {
                // the DURATION column left blank: an entry, or a comment
                rest = SkipSpaces(rest[(bar + 1)..], 2);
                break;
            }

            if (segment.EndsWith(" us") && TryParseDuration(segment, out long duration, out char mark))
            {
                columns.DurationNanoseconds = duration;
                columns.DurationMark = mark;
                rest = SkipSpaces(rest[(bar + 1)..], 2);
                break;
            }

            if (columns.ProcessId is null && segment[0] != '/' && LinePrefix.TrySplitTask(segment, out ReadOnlySpan<char> comm, out int pid))
            {
                columns.ProcessId = pid;
                columns.Command = _names.Get(comm);
                rest = SkipSpaces(rest[(bar + 1)..], 1);
                continue;
            }

            if (columns.Flags is null && segment[0] != '/' && segment.Length <= 8 && segment.IndexOfAny(' ', '(', '/') < 0 && segment.IndexOf('=') < 0)
            {
                columns.Flags = _names.Get(segment);
                rest = SkipSpaces(rest[(bar + 1)..], 1);
                continue;
            }

            break;
        }

        int indent = 0;
        while (indent < rest.Length && rest[indent] == ' ')
        {
            indent++;
        }

        ReadOnlySpan<char> body = rest[indent..].TrimEnd();
        var line = new FunctionGraphLine
        {
            Kind = FunctionGraphLineKind.Unrecognized,
            Cpu = columns.Cpu,
            TimestampNanoseconds = columns.TimestampNanoseconds,
            ProcessId = columns.ProcessId,
            Command = columns.Command,
            Flags = columns.Flags,
            Depth = indent / 2,
            DurationNanoseconds = columns.DurationNanoseconds,
            DurationMark = columns.DurationMark,
        };

        if (body.StartsWith(IrqEntryMark))
        {
            return line with { Kind = FunctionGraphLineKind.IrqEntry };
        }

        if (body.StartsWith(IrqExitMark))
        {
            return line with { Kind = FunctionGraphLineKind.IrqExit };
        }

        if (body.StartsWith("/*"))
        {
            ReadOnlySpan<char> text = body[2..];
            if (text.EndsWith("*/"))
            {
                text = text[..^2];
            }

            return line with { Kind = FunctionGraphLineKind.Comment, Text = text.Trim().ToString() };
        }

        if (body.StartsWith("}"))
        {
            return ParseExit(body, line);
        }

        return ParseCall(body, line);
    }

    // "+ 61.770 us", "0.198 us", "$ 1234567 us"
    private static bool TryParseDuration(ReadOnlySpan<char> segment, out long nanoseconds, out char mark)
    {
        mark = '\0';
        ReadOnlySpan<char> number = segment[..^3].Trim();
        if (number.Length > 2 && number[1] == ' ' && number[0] is '+' or '!' or '#' or '*' or '@' or '$')
        {
            mark = number[0];
            number = number[2..].TrimStart();
        }

        return TextNumber.TryParseMicroseconds(number, out nanoseconds);
    }

    private static ReadOnlySpan<char> SkipSpaces(ReadOnlySpan<char> text, int most)
    {
        int n = 0;
        while (n < most && n < text.Length && text[n] == ' ')
        {
            n++;
        }

        return text[n..];
    }
}
