using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>
/// Reads what kprobe_events, uprobe_events and dynamic_events list (trace_kprobe_show, trace_uprobe_show):
/// "TYPE[MAXACTIVE]:GROUP/EVENT PLACE [NAME=FETCHARG...]", one probe a line. Lines of other dynamic events
/// (synthetic "s:", event probes "e:", fprobes "f:", tracepoint probes "t:") are skipped.
/// </summary>
public static class ProbeListingParser
{
    public static IReadOnlyList<ProbeListingEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ProbeListingEntry>();
        foreach (string raw in text.Split('\n'))
        {
            if (ParseLine(raw.TrimEnd('\r')) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>One listed line; null for blank lines and for dynamic events that are not kprobes or uprobes.</summary>
    public static ProbeListingEntry? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0][0] is not ('p' or 'r'))
        {
            return null;
        }

        string head = words[0];
        int colon = head.IndexOf(':', StringComparison.Ordinal);
        int slash = head.IndexOf('/', StringComparison.Ordinal);
        if (colon < 0 || slash < colon)
        {
            throw new FormatException($"Not a probe listing line (expected TYPE:GROUP/EVENT first): {line}");
        }

        int? maxActive = colon > 1 && int.TryParse(head.AsSpan(1, colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : null;
        string group = head[(colon + 1)..slash];
        string ev = head[(slash + 1)..];
        string place = words[1];
        bool user = place.Contains('/', StringComparison.Ordinal);
        bool isReturn = head[0] == 'r' || place.EndsWith("%return", StringComparison.Ordinal);
        ProbeKind kind = user ? (isReturn ? ProbeKind.Uretprobe : ProbeKind.Uprobe) : (isReturn ? ProbeKind.Kretprobe : ProbeKind.Kprobe);
        string[] args = words[2..];

        ProbeDefinition? definition = null;
        string? problem = null;
        try
        {
            definition = ProbeDefinitionParser.Parse(line);
        }
        catch (ProbeValidationException e)
        {
            problem = e.Message;
        }

        return new ProbeListingEntry(line, kind, group, ev, place, maxActive, args, definition, problem);
    }
}
