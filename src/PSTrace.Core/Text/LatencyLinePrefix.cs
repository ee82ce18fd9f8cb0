namespace PSTrace.Core.Text;

/// <summary>
/// The context of the latency-format layout (options/latency-format, and the latency tracers' output;
/// kernel/trace/trace_output.c, trace_print_lat_context): "comm-pid  0d..2. 1234us+: ", the CPU run
/// together with the flags, then the microseconds since the trace started and a delay mark ('+', '!',
/// '#', '*', '@', '$' or a space).
/// </summary>
internal static class LatencyLinePrefix
{
    public static bool TryParse(ReadOnlySpan<char> line, out LinePrefix prefix)
    {
        prefix = default;
        for (int from = 0; from < line.Length;)
        {
            int colon = line[from..].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            colon += from;
            if (TryParseAt(line, colon, out prefix))
            {
                return true;
            }

            from = colon + 1;
        }

        return false;
    }

    /// <summary>Reads the columns before <paramref name="colon"/>, the ": " that should end the timestamp.</summary>
    private static bool TryParseAt(ReadOnlySpan<char> line, int colon, out LinePrefix prefix)
    {
        prefix = default;

        // "1234us" and the delay mark right before the colon; an absolute time has neither.
        int end = colon;
        bool relative = end >= 3 && line[end - 1] is not (>= '0' and <= '9') && line[..(end - 1)].EndsWith("us");
        if (relative)
        {
            end -= 3;
        }

        int timeStart = line[..end].LastIndexOf(' ') + 1;
        ReadOnlySpan<char> time = line[timeStart..end];
        ulong nanoseconds;
        if (relative)
        {
            if (!TextNumber.TryParseMicroseconds(time, out long ns))
            {
                return false;
            }

            nanoseconds = (ulong)ns;
        }
        else if (!TextNumber.TryParseSeconds(time, out nanoseconds))
        {
            return false;
        }

        // "0d..2.": the CPU's digits, then the flags.
        int columnEnd = line[..timeStart].TrimEnd(' ').Length;
        int columnStart = line[..columnEnd].LastIndexOf(' ') + 1;
        int flagsStart = columnStart;
        while (flagsStart < columnEnd && char.IsAsciiDigit(line[flagsStart]))
        {
            flagsStart++;
        }

        if (flagsStart == columnStart || !TextNumber.TryParseInt(line[columnStart..flagsStart], out int cpu)
            || !LinePrefix.TryTask(line[..columnStart], out LinePrefix task))
        {
            return false;
        }

        prefix = task with { Cpu = cpu, FlagsStart = flagsStart, FlagsLength = columnEnd - flagsStart, Timestamp = nanoseconds, TextStart = colon + 2 };
        return true;
    }
}
