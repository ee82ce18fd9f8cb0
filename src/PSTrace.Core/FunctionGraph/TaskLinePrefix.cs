using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// The task columns in front of an event's body: "comm-pid (tgid) [cpu] flags timestamp: ".
/// Covers the tracefs text (irq-info on or off, record-tgid), its latency-format
/// ("comm-pid  0d..2. 1234us+: "), and trace-cmd report ("comm-pid [cpu] timestamp: ").
/// </summary>
internal readonly ref struct TaskLinePrefix
{
    public ReadOnlySpan<char> Command { get; init; }
    public int ProcessId { get; init; }
    public int? ThreadGroupId { get; init; }
    public int? Cpu { get; init; }
    public ReadOnlySpan<char> Flags { get; init; }
    public ulong TimestampNanoseconds { get; init; }

    /// <summary>Where the body begins (after "timestamp: ").</summary>
    public int BodyStart { get; init; }

    public static bool TryParse(ReadOnlySpan<char> line, out TaskLinePrefix prefix)
    {
        prefix = default;
        for (int from = 0; from < line.Length;)
        {
            int colon = line[from..].IndexOf(": ");
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

    // colon: the index of the ": " that should end the timestamp.
    private static bool TryParseAt(ReadOnlySpan<char> line, int colon, out TaskLinePrefix prefix)
    {
        prefix = default;
        int end = colon;

        // latency-format: "1234us" then a delay mark ('+', '!', ... or a space) right before the colon
        bool relative = false;
        if (end >= 3 && line[end - 1] != ' ' && line[end - 1] is not (>= '0' and <= '9') && line[..(end - 1)].EndsWith("us"))
        {
            relative = true;
            end -= 3;
        }
        else if (end >= 3 && line[end - 1] == ' ' && line[..(end - 1)].EndsWith("us"))
        {
            relative = true;
            end -= 3;
        }

        int start = line[..end].LastIndexOf(' ') + 1;
        ReadOnlySpan<char> time = line[start..end];
        ulong nanoseconds;
        if (relative)
        {
            if (!TextNumber.TryParseMicroseconds(time, out long micros))
            {
                return false;
            }

            nanoseconds = (ulong)micros;
        }
        else if (!TextNumber.TryParseSeconds(time, out nanoseconds))
        {
            return false;
        }

        ReadOnlySpan<char> left = line[..start].TrimEnd();
        int? cpu = null;
        ReadOnlySpan<char> flags = default;
        ReadOnlySpan<char> last = LastToken(left);
        if (IsCpuToken(last, out int c))
        {
            cpu = c;
            left = left[..^last.Length].TrimEnd();
        }
        else
        {
            ReadOnlySpan<char> beforeLast = left[..^last.Length].TrimEnd();
            ReadOnlySpan<char> previous = LastToken(beforeLast);
            if (IsCpuToken(previous, out c))
            {
                cpu = c;
                flags = last;
                left = beforeLast[..^previous.Length].TrimEnd();
            }
            else
            {
                // latency: the CPU number run together with the flags, "0d..2."
                int digits = 0;
                while (digits < last.Length && char.IsAsciiDigit(last[digits]))
                {
                    digits++;
                }

                if (digits == 0 || !TextNumber.TryParseInt(last[..digits], out c))
                {
                    return false;
                }

                cpu = c;
                flags = last[digits..];
                left = beforeLast;
            }
        }

        int? tgid = null;
        if (left.EndsWith(")"))
        {
            int open = left.LastIndexOf('(');
            if (open < 0)
            {
                return false;
            }

            ReadOnlySpan<char> inner = left[(open + 1)..^1].Trim();
            if (TextNumber.TryParseInt(inner, out int g))
            {
                tgid = g;
            }

            left = left[..open].TrimEnd();
        }

        left = left.TrimStart();
        int dash = left.LastIndexOf('-');
        if (dash <= 0 || !TextNumber.TryParseInt(left[(dash + 1)..], out int pid))
        {
            return false;
        }

        prefix = new TaskLinePrefix
        {
            Command = left[..dash],
            ProcessId = pid,
            ThreadGroupId = tgid,
            Cpu = cpu,
            Flags = flags,
            TimestampNanoseconds = nanoseconds,
            BodyStart = colon + 2,
        };
        return true;
    }

    private static ReadOnlySpan<char> LastToken(ReadOnlySpan<char> text)
    {
        int space = text.LastIndexOf(' ');
        return text[(space + 1)..];
    }

    private static bool IsCpuToken(ReadOnlySpan<char> token, out int cpu)
    {
        cpu = 0;
        return token.Length >= 3 && token[0] == '[' && token[^1] == ']' && TextNumber.TryParseInt(token[1..^1], out cpu);
    }
}
