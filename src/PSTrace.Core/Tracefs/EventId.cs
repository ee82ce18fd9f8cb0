namespace PSTrace.Core.Tracefs;

/// <summary>An event's full name, system:event.</summary>
public readonly record struct EventId(string System, string Name)
{
    public override string ToString() => System + ":" + Name;

    /// <summary>Parses "system:event" or "system/event" (what available_events and set_event print).</summary>
    public static EventId Parse(string text)
    {
        int sep = text.IndexOfAny(new[] { ':', '/' });
        if (sep <= 0 || sep == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not system:event.");
        }

        return new EventId(text[..sep], text[(sep + 1)..]);
    }
}
