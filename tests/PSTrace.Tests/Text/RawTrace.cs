using System.Globalization;
using System.Text.RegularExpressions;

namespace PSTrace.Tests.Text;

/// <summary>
/// What a fixture holds, counted straight from its text with regular expressions (the way grep -c
/// would), independently of the parser under test.
/// </summary>
internal sealed partial class RawTrace
{
    private RawTrace(string[] lines)
    {
        foreach (string line in lines)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (EntriesRegex().Match(line) is { Success: true } m)
            {
                if (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                {
                    Overwritten++;
                }
            }
            else if (AnnotateRegex().IsMatch(line))
            {
                Annotations++;
            }
            else if (line.StartsWith('#'))
            {
                continue;
            }
            else if (LostRegex().IsMatch(line))
            {
                Lost++;
            }
            else if (line.StartsWith(" => ", StringComparison.Ordinal))
            {
                Frames++;
            }
            else if (PrefixRegex().Match(line) is { Success: true } p)
            {
                string text = p.Groups["text"].Value;
                if (text is "<stack trace>" or "<user stack trace>")
                {
                    Stacks++;
                }
                else
                {
                    Prefixed.Add(new RawLine(p.Groups["comm"].Value.TrimStart(), int.Parse(p.Groups["pid"].Value, CultureInfo.InvariantCulture),
                        int.TryParse(p.Groups["tgid"].Value, CultureInfo.InvariantCulture, out int tgid) ? tgid : null,
                        int.Parse(p.Groups["cpu"].Value, CultureInfo.InvariantCulture), p.Groups["flags"].Value, p.Groups["ts"].Value, text));
                }
            }
            else
            {
                Other++;
            }
        }
    }

    /// <summary>Event lines (not stack traces), in order.</summary>
    public List<RawLine> Prefixed { get; } = [];

    public int Stacks { get; private set; }
    public int Frames { get; private set; }
    public int Lost { get; private set; }
    public int Annotations { get; private set; }

    /// <summary>1 when the header says events were overwritten.</summary>
    public int Overwritten { get; private set; }

    /// <summary>Lines that are neither header, comment, blank, nor trace output.</summary>
    public int Other { get; private set; }

    public static RawTrace Of(string fixture) => new(File.ReadAllLines(Fixtures.PathOf(fixture)));

    /// <summary>Event lines per printed name: "name: ", "sys_x(" as sys_enter_x, "sys_x -> " as sys_exit_x, "f &lt;-p" as function.</summary>
    public Dictionary<string, int> CountByName() => Prefixed
        .Select(l => NameRegex().Match(l.Text))
        .Where(m => m.Success)
        .Select(m => m.Groups["plain"].Success ? m.Groups["plain"].Value
            : m.Groups["enter"].Success ? "sys_enter_" + m.Groups["enter"].Value
            : m.Groups["exit"].Success ? "sys_exit_" + m.Groups["exit"].Value
            : "function")
        .GroupBy(n => n)
        .ToDictionary(g => g.Key, g => g.Count());

    [GeneratedRegex(@"^\s*(?<comm>.*)-(?<pid>\d+)\s+(\(\s*(?<tgid>\d+|-+)\)\s+)?\[(?<cpu>\d+)\]\s+((?<flags>\S+)\s+)?(?<ts>\d+(\.\d+)?): (?<text>.*)$")]
    private static partial Regex PrefixRegex();

    [GeneratedRegex(@"^(?<plain>\w+): |^sys_(?<enter>\w+)\(|^sys_(?<exit>\w+) -> |^[\w.]+ <-")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^CPU:\d+ \[LOST( \d+)? EVENTS\]$")]
    private static partial Regex LostRegex();

    [GeneratedRegex(@"^##### CPU \d+ buffer started ####$")]
    private static partial Regex AnnotateRegex();

    [GeneratedRegex(@"^# entries-in-buffer/entries-written: (\d+)/(\d+)")]
    private static partial Regex EntriesRegex();
}

/// <summary>An event line's prefix as the regular expression reads it.</summary>
internal sealed record RawLine(string Comm, int Pid, int? Tgid, int Cpu, string Flags, string Timestamp, string Text);
