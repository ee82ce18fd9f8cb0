using System.Globalization;
using System.Text.RegularExpressions;

namespace PSTrace.Tests.Binary;

/// <summary>One event line of the kernel's own `trace` file.</summary>
internal sealed record KernelTextLine(string Command, int Pid, int Cpu, string Flags, ulong Microseconds, string Name, string Body);

/// <summary>Parses the `trace` file's event lines (default options: irq-info on, no tgid column).</summary>
internal static partial class KernelText
{
    [GeneratedRegex(@"^\s*(?<comm>.*?)-(?<pid>\d+)\s+\[(?<cpu>\d+)\]\s(?<flags>.{5})\s+(?<sec>\d+)\.(?<usec>\d{6}):\s(?<name>[^:]+):\s?(?<body>.*)$")]
    private static partial Regex Line();

    public static List<KernelTextLine> Parse(string text)
    {
        var lines = new List<KernelTextLine>();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            Match m = Line().Match(line);
            if (!m.Success)
            {
                throw new FormatException("Not an event line: " + line);
            }

            ulong us = ulong.Parse(m.Groups["sec"].Value, CultureInfo.InvariantCulture) * 1_000_000 + ulong.Parse(m.Groups["usec"].Value, CultureInfo.InvariantCulture);
            lines.Add(new KernelTextLine(m.Groups["comm"].Value, int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture), m.Groups["flags"].Value, us, m.Groups["name"].Value, m.Groups["body"].Value));
        }

        return lines;
    }

    /// <summary>"key=value" pairs of a body whose print fmt writes them so (values end at the next space).</summary>
    public static Dictionary<string, string> Pairs(string body)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in body.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq > 0)
            {
                pairs.TryAdd(token[..eq], token[(eq + 1)..]);
            }
        }

        return pairs;
    }
}
