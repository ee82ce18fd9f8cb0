using System.Globalization;

namespace PSTrace.Core.Text;

/// <summary>
/// The context the kernel prints before every event (kernel/trace/trace_output.c, trace_print_context):
/// <c>%16s-%-7d</c> comm and pid, <c>(%7d)</c> or <c>(-------)</c> with record-tgid, <c>[%03d]</c> cpu,
/// the flag columns with irq-info (any count, any characters), then the timestamp and <c>": "</c>.
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
                && TryTask(line[..open], out int commStart, out int commLength, out int pid, out int? tgid)
                && TryFlagsAndTime(line, afterCpu, out int flagsStart, out int flagsLength, out ulong ts, out int textStart))
            {
                prefix = new LinePrefix
                {
                    CommStart = commStart,
                    CommLength = commLength,
                    ProcessId = pid,
                    ThreadGroupId = tgid,
                    Cpu = cpu,
                    FlagsStart = flagsStart,
                    FlagsLength = flagsLength,
                    Timestamp = ts,
                    TextStart = textStart,
                };
                return true;
            }
        }
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

    /// <summary>"   comm-pid" or "   comm-pid (  tgid)" / "(-------)", as it stands before the cpu column.</summary>
    private static bool TryTask(ReadOnlySpan<char> left, out int commStart, out int commLength, out int pid, out int? tgid)
    {
        commStart = commLength = pid = 0;
        tgid = null;
        ReadOnlySpan<char> task = left.TrimEnd(' ');
        if (task.Length > 0 && task[^1] == ')')
        {
            int open = task.LastIndexOf('(');
            if (open < 0)
            {
                return false;
            }

            ReadOnlySpan<char> inside = task[(open + 1)..^1].Trim(' ');
            if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out int g))
            {
                tgid = g;
            }
            else if (inside.Length == 0 || inside.IndexOfAnyExcept('-') >= 0)
            {
                return false;
            }

            task = task[..open].TrimEnd(' ');
        }

        int digits = task.Length;
        while (digits > 0 && char.IsAsciiDigit(task[digits - 1]))
        {
            digits--;
        }

        if (digits == task.Length || digits == 0 || task[digits - 1] != '-'
            || !int.TryParse(task[digits..], NumberStyles.None, CultureInfo.InvariantCulture, out pid))
        {
            return false;
        }

        ReadOnlySpan<char> comm = task[..(digits - 1)];
        int lead = comm.IndexOfAnyExcept(' ');
        commStart = lead < 0 ? digits - 1 : lead;
        commLength = digits - 1 - commStart;
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

        if (line[firstEnd - 1] == ':' && TryTimestamp(line[first..(firstEnd - 1)], out ts))
        {
            textStart = AfterColon(line, firstEnd);
            return true;
        }

        int second = SkipSpaces(line, firstEnd);
        int secondEnd = TokenEnd(line, second);
        if (secondEnd == second || line[secondEnd - 1] != ':' || !TryTimestamp(line[second..(secondEnd - 1)], out ts))
        {
            return false;
        }

        flagsStart = first;
        flagsLength = firstEnd - first;
        textStart = AfterColon(line, secondEnd);
        return true;
    }

    /// <summary>"secs.usecs" (any number of decimals) to nanoseconds; a plain count stays as it is.</summary>
    internal static bool TryTimestamp(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        int dot = text.IndexOf('.');
        if (dot < 0)
        {
            return text.Length > 0 && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        ReadOnlySpan<char> frac = text[(dot + 1)..];
        if (dot == 0 || frac.Length is 0 or > 9
            || !ulong.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out ulong secs)
            || !ulong.TryParse(frac, NumberStyles.None, CultureInfo.InvariantCulture, out ulong f))
        {
            return false;
        }

        for (int i = frac.Length; i < 9; i++)
        {
            f *= 10;
        }

        value = (secs * 1_000_000_000) + f;
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
