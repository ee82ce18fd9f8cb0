using System.Globalization;

namespace PSTrace.Core.Text;

/// <summary>
/// The header a latency tracer (and the latency-format option) prints above its trace
/// (kernel/trace/trace.c, print_trace_header):
/// <code>
/// # latency: 16 us, #4/4, CPU#0 | (M:preempt VP:0, KP:0, SP:0 HP:0 #P:4)
/// #    | task: swapper/0-0 (uid:0 nice:0 policy:0 rt_prio:0)
/// #  => started at: run_timer_softirq
/// #  => ended at:   run_timer_softirq
/// </code>
/// The "started at" and "ended at" lines appear only for the tracers that record a critical section.
/// </summary>
internal sealed class LatencyTraceHeader
{
    public long? LatencyMicroseconds { get; private set; }
    public int? Cpu { get; private set; }
    public string? Command { get; private set; }
    public int? ProcessId { get; private set; }
    public string? StartedAt { get; private set; }
    public string? EndedAt { get; private set; }

    public static LatencyTraceHeader Parse(string trace)
    {
        var header = new LatencyTraceHeader();
        foreach (string raw in trace.Split('\n'))
        {
            ReadOnlySpan<char> line = raw.AsSpan().Trim();
            if (line.IsEmpty || line[0] != '#')
            {
                if (!line.IsEmpty)
                {
                    break; // the header ends where the entries begin
                }

                continue;
            }

            line = line[1..].Trim();
            if (line.StartsWith("latency:"))
            {
                header.ReadLatency(line["latency:".Length..]);
            }
            else if (line.StartsWith("| task:"))
            {
                header.ReadTask(line["| task:".Length..].Trim());
            }
            else if (line.StartsWith("=> started at:"))
            {
                header.StartedAt = Symbol(line["=> started at:".Length..]);
            }
            else if (line.StartsWith("=> ended at:"))
            {
                header.EndedAt = Symbol(line["=> ended at:".Length..]);
            }
        }

        return header;
    }

    // " 16 us, #4/4, CPU#0 | (M:preempt ..."
    private void ReadLatency(ReadOnlySpan<char> rest)
    {
        rest = rest.Trim();
        int us = rest.IndexOf(" us");
        if (us > 0 && long.TryParse(rest[..us], NumberStyles.None, CultureInfo.InvariantCulture, out long latency))
        {
            LatencyMicroseconds = latency;
        }

        int cpu = rest.IndexOf("CPU#");
        if (cpu >= 0)
        {
            ReadOnlySpan<char> digits = rest[(cpu + 4)..];
            int end = 0;
            while (end < digits.Length && char.IsAsciiDigit(digits[end]))
            {
                end++;
            }

            if (int.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                Cpu = n;
            }
        }
    }

    // "swapper/0-0 (uid:0 nice:0 policy:0 rt_prio:0)": the comm may hold '-', so split at the last one before " (".
    private void ReadTask(ReadOnlySpan<char> rest)
    {
        int paren = rest.IndexOf(" (");
        ReadOnlySpan<char> task = paren >= 0 ? rest[..paren] : rest;
        int dash = task.LastIndexOf('-');
        if (dash >= 0 && int.TryParse(task[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            ProcessId = pid;
            Command = task[..dash].ToString();
        }
    }

    // "run_timer_softirq", or with sym-offset "run_timer_softirq+0x1a/0x50": the name alone.
    private static string? Symbol(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        int end = text.IndexOfAny(' ', '+');
        ReadOnlySpan<char> name = end > 0 ? text[..end] : text;
        return name.IsEmpty ? null : name.ToString();
    }
}
