using System.Globalization;
using System.Text.RegularExpressions;

namespace PSTrace.Tests.Binary;

/// <summary>One thing `trace-cmd report -R -t` printed: an event, or a CPU's dropped-events note.</summary>
internal sealed record ReportItem(int Line, int Cpu, string? Command, int Pid, ulong TimestampNanoseconds, string? Name, string Body, long? Dropped, bool IsDropped)
{
    public override string ToString() => IsDropped
        ? $"line {Line}: CPU:{Cpu} [{Dropped} EVENTS DROPPED]"
        : $"line {Line}: {Command}-{Pid} [{Cpu:000}] {TimestampNanoseconds}: {Name}: {Body}";
}

/// <summary>Parses `trace-cmd report -R -t` output: "[BUFFER: ]COMM-PID [CPU] SEC.NSEC: NAME: BODY".</summary>
internal static partial class TraceCmdReport
{
    [GeneratedRegex(@"^\s*(?<comm>.*?)-(?<pid>\d+)\s+\[(?<cpu>\d+)\]\s+(?<sec>\d+)\.(?<nsec>\d{9}):\s(?<name>[^:\s]+):\s*(?<body>.*)$")]
    private static partial Regex EventLine();

    [GeneratedRegex(@"^\s*CPU:(?<cpu>\d+) \[(?:(?<count>\d+) )?EVENTS DROPPED\]$")]
    private static partial Regex DroppedLine();

    public static List<ReportItem> Parse(string text, IEnumerable<string> bufferNames)
    {
        string[] prefixes = bufferNames.Where(n => n.Length > 0).Select(n => n + ": ").ToArray();
        var items = new List<ReportItem>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("cpus=", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            foreach (string p in prefixes)
            {
                if (line.StartsWith(p, StringComparison.Ordinal))
                {
                    line = line[p.Length..];
                    break;
                }
            }

            Match m = DroppedLine().Match(line);
            if (m.Success)
            {
                long? count = m.Groups["count"].Success ? long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture) : null;
                items.Add(new ReportItem(i + 1, int.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture), null, 0, 0, null, "", count, true));
                continue;
            }

            m = EventLine().Match(line);
            if (!m.Success)
            {
                throw new FormatException($"trace-cmd report line {i + 1} is neither an event nor a dropped-events note: {line}");
            }

            ulong ts = ulong.Parse(m.Groups["sec"].Value, CultureInfo.InvariantCulture) * 1_000_000_000
                + ulong.Parse(m.Groups["nsec"].Value, CultureInfo.InvariantCulture);
            items.Add(new ReportItem(i + 1, int.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture), m.Groups["comm"].Value,
                int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture), ts, m.Groups["name"].Value, m.Groups["body"].Value, null, false));
        }

        return items;
    }

    /// <summary>
    /// Splits a raw body " a=1 b=x y c=3" by the field names the format gives, in order: values may hold
    /// spaces (comms like ".NET Server GC"), names never repeat.
    /// </summary>
    public static Dictionary<string, string> SplitFields(string body, IReadOnlyList<string> names)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return result;
        }

        if (!body.StartsWith(names[0] + "=", StringComparison.Ordinal))
        {
            throw new FormatException($"The body does not start with {names[0]}=: {body}");
        }

        int valueStart = names[0].Length + 1;
        for (int i = 1; i < names.Count; i++)
        {
            int next = body.IndexOf(" " + names[i] + "=", valueStart, StringComparison.Ordinal);
            if (next < 0)
            {
                throw new FormatException($"Field {names[i]} not found after {names[i - 1]} in: {body}");
            }

            result[names[i - 1]] = body[valueStart..next];
            valueStart = next + names[i].Length + 2;
        }

        result[names[^1]] = body[valueStart..];
        return result;
    }
}
