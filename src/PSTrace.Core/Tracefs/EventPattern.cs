namespace PSTrace.Core.Tracefs;

/// <summary>
/// A user's event name: "system:event", "event" (any system), either part with * and ? wildcards.
/// Validated so that it can only ever name files under events/.
/// </summary>
public sealed class EventPattern
{
    private EventPattern(string text, string system, string name)
    {
        Text = text;
        System = system;
        Name = name;
    }

    public string Text { get; }
    public string System { get; }
    public string Name { get; }

    public bool HasWildcard => Text.AsSpan().IndexOfAny('*', '?') >= 0;

    public static EventPattern Parse(string text)
    {
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '*' or '?' or ':' or '/' or '-' or '.'))
            {
                throw Invalid(text, $"the character '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}' cannot be part of an event name");
            }
        }

        string system = "*", name = text;
        int sep = text.IndexOfAny(new[] { ':', '/' });
        if (sep >= 0)
        {
            system = text[..sep];
            name = text[(sep + 1)..];
            if (name.IndexOfAny(new[] { ':', '/' }) >= 0)
            {
                throw Invalid(text, "it has more than one ':'");
            }
        }

        if (system.Length == 0 || name.Length == 0)
        {
            throw Invalid(text, "the system or the event part is empty");
        }

        if (system is "." or ".." || name is "." or "..")
        {
            throw Invalid(text, "'.' and '..' are not event names");
        }

        return new EventPattern(text, system, name);
    }

    public bool Matches(EventId id) => Wildcard.IsMatch(System, id.System) && Wildcard.IsMatch(Name, id.Name);

    public override string ToString() => Text;

    private static TraceException Invalid(string text, string why) => new(TraceErrorKind.InvalidArgument, "InvalidEventName",
        $"'{text}' is not a valid event name: {why}.", "Name events as system:event (for example sched:sched_process_exec); * and ? are wildcards. Get-TraceEventType lists them.", text);
}
