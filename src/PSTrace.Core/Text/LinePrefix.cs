using System.Globalization;

namespace PSTrace.Core.Text;

/// <summary>
/// The context the kernel prints before every event (kernel/trace/trace_output.c, trace_print_context):
/// <c>%16s-%-7d</c> comm and pid, <c>(%7d)</c> or <c>(-------)</c> with record-tgid, <c>[%03d]</c> cpu,
/// the flag columns with irq-info (any count, any characters), then the timestamp and <c>": "</c>;
/// trace-cmd report prints the same columns. <see cref="TryParseAnyLayout"/> reads the latency-format
/// layout too (trace_print_lat_context: "comm-pid  0d..2. 1234us+: ").
/// Positions are offsets into the line, so reading it allocates nothing.
/// </summary>
internal readonly struct LinePrefix
{
    public int CommStart { get; init; }
    public int CommLength { get; init; }
    public int ProcessId { get; init; }

    /// <summary>The TGID column: null when absent or printed as (-------).</summary>
    public int? ThreadGroupId { get; init; }

    public int Cpu { get; init; }
    public int FlagsStart { get; init; }
    public int FlagsLength { get; init; }

    /// <summary>Nanoseconds for the usual clocks; the raw count for counter clocks (counter, x86-tsc).</summary>
    public ulong Timestamp { get; init; }

    /// <summary>Where the event's text (after the timestamp's ": ") starts.</summary>
    public int TextStart { get; init; }

    /// <summary>
    /// Finds the cpu column (" [digits] ") and reads the rest around it. The comm may hold spaces,
    /// dashes and brackets: the pid is the digits after its last '-', and a candidate cpu column is
    /// accepted only when a well-formed "comm-pid" stands before it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> line, out LinePrefix prefix)
    {
        prefix = default;
        int from = 0;
        while (true)
        {
            int open = line[from..].IndexOf(" [", StringComparison.Ordinal);
            if (open < 0)
            {
                return false;
            }

            open += from;
            from = open + 2;
            if (TryCpuColumn(line, open + 2, out int cpu, out int afterCpu)
                && TryTask(line[..open], out LinePrefix task)
                && TryFlagsAndTime(line, afterCpu, out int flagsStart, out int flagsLength, out ulong ts, out int textStart))
            {
                prefix = task with { Cpu = cpu, FlagsStart = flagsStart, FlagsLength = flagsLength, Timestamp = ts, TextStart = textStart };
                return true;
            }
        }
    }

    /// <summary>
    /// The usual layout (<see cref="TryParse"/>) or, failing that, the latency-format one, whose timestamp is
    /// the microseconds since the trace started, in nanoseconds.
    /// </summary>
    public static bool TryParseAnyLayout(ReadOnlySpan<char> line, out LinePrefix prefix) =>
        TryParse(line, out prefix) || LatencyLinePrefix.TryParse(line, out prefix);

    /// <summary>"comm-pid" as a column or a context switch's side prints it ("&lt;idle&gt;-0", "kworker/0:1-48").</summary>
    public static bool TrySplitTask(ReadOnlySpan<char> text, out ReadOnlySpan<char> comm, out int pid)
    {
        comm = default;
        pid = 0;
        if (text.EndsWith(")") || !TryTask(text, out LinePrefix task))
        {
            return false;
        }

        comm = text.Slice(task.CommStart, task.CommLength);
        pid = task.ProcessId;
        return true;
    }

    /// <summary>"digits]" followed by a space.</summary>
    private static bool TryCpuColumn(ReadOnlySpan<char> line, int start, out int cpu, out int after)
    {
        cpu = 0;
        after = 0;
        int close = line[start..].IndexOf(']');
        if (close <= 0 || start + close + 1 >= line.Length || line[start + close + 1] != ' ')
        {
            return false;
        }

        after = start + close + 1;
        return int.TryParse(line.Slice(start, close), NumberStyles.None, CultureInfo.InvariantCulture, out cpu);
    }

    /// <summary>
    /// "   comm-pid" or "   comm-pid (  tgid)" / "(-------)", as it stands before the cpu column: the prefix with
    /// only the task filled in.
    /// </summary>
    internal static bool TryTask(ReadOnlySpan<char> left, out LinePrefix task)
    {
        task = default;
        int? tgid = null;
        ReadOnlySpan<char> text = left.TrimEnd(' ');
        if (text.Length > 0 && text[^1] == ')')
        {
            int open = text.LastIndexOf('(');
            if (open < 0)
            {
                return false;
            }

            ReadOnlySpan<char> inside = text[(open + 1)..^1].Trim(' ');
            if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out int g))
            {
                tgid = g;
            }
            else if (inside.Length == 0 || inside.IndexOfAnyExcept('-') >= 0)
            {
                return false;
            }

            text = text[..open].TrimEnd(' ');
        }

        int digits = text.Length;
        while (digits > 0 && char.IsAsciiDigit(text[digits - 1]))
        {
            digits--;
        }

        if (digits == text.Length || digits == 0 || text[digits - 1] != '-'
            || !int.TryParse(text[digits..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        ReadOnlySpan<char> comm = text[..(digits - 1)];
        int lead = comm.IndexOfAnyExcept(' ');
        int commStart = lead < 0 ? digits - 1 : lead;
        task = new LinePrefix { CommStart = commStart, CommLength = digits - 1 - commStart, ProcessId = pid, ThreadGroupId = tgid };
        return true;
    }

    /// <summary>After "] ": either "TIMESTAMP: " or "FLAGS  TIMESTAMP: ".</summary>
    private static bool TryFlagsAndTime(ReadOnlySpan<char> line, int pos, out int flagsStart, out int flagsLength, out ulong ts, out int textStart)
    {
        flagsStart = flagsLength = textStart = 0;
        ts = 0;
        int first = SkipSpaces(line, pos);
        int firstEnd = TokenEnd(line, first);
        if (firstEnd == first)
        {
            return false;
        }

        if (line[firstEnd - 1] == ':' && TextNumber.TryParseSeconds(line[first..(firstEnd - 1)], out ts))
        {
            textStart = AfterColon(line, firstEnd);
            return true;
        }

        int second = SkipSpaces(line, firstEnd);
        int secondEnd = TokenEnd(line, second);
        if (secondEnd == second || line[secondEnd - 1] != ':' || !TextNumber.TryParseSeconds(line[second..(secondEnd - 1)], out ts))
        {
            return false;
        }

        flagsStart = first;
        flagsLength = firstEnd - first;
        textStart = AfterColon(line, secondEnd);
        return true;
    }

    private static int SkipSpaces(ReadOnlySpan<char> line, int pos)
    {
        while (pos < line.Length && line[pos] == ' ')
        {
            pos++;
        }

        return pos;
    }

    private static int TokenEnd(ReadOnlySpan<char> line, int pos)
    {
        while (pos < line.Length && line[pos] != ' ')
        {
            pos++;
        }

        return pos;
    }

    private static int AfterColon(ReadOnlySpan<char> line, int end) => end < line.Length ? end + 1 : end;
}
