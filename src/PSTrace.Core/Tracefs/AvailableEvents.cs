namespace PSTrace.Core.Tracefs;

/// <summary>The events this kernel offers (available_events), and name patterns resolved against them.</summary>
public static class AvailableEvents
{
    public static IReadOnlyList<EventId> List(Tracefs fs)
    {
        string text = ControlFile.Read(fs.PathOf("available_events"));
        var list = new List<EventId>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int sep = line.IndexOf(':');
            if (sep > 0)
            {
                list.Add(new EventId(line[..sep], line[(sep + 1)..]));
            }
        }

        list.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return list;
    }

    /// <summary>The events a pattern names. A pattern without wildcards that names nothing is an error.</summary>
    public static IReadOnlyList<EventId> Resolve(Tracefs fs, EventPattern pattern) => Resolve(List(fs), pattern);

    public static IReadOnlyList<EventId> Resolve(IReadOnlyList<EventId> available, EventPattern pattern)
    {
        var matches = available.Where(pattern.Matches).ToList();
        if (matches.Count == 0 && !pattern.HasWildcard)
        {
            throw new TraceException(TraceErrorKind.NotFound, "EventNotFound",
                $"This kernel has no event named '{pattern.Text}'.", "Get-TraceEventType lists the events this kernel has; wildcards work (Get-TraceEventType '*exec*').", pattern.Text);
        }

        return matches;
    }
}
