namespace PSTrace.Core.Probes;

/// <summary>
/// "-:GROUP/EVENT": removes one probe event. What PSTrace writes always names both, because "-:EVENT"
/// alone matches that event in every group and "-:GROUP/" with no event would remove a whole group.
/// A removal parsed from a user's "-:EVENT" has no group (<see cref="Group"/> null) and says so.
/// </summary>
public sealed class ProbeRemoval
{
    public ProbeRemoval(string group, string eventName)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(eventName);
        ProbeTextGuard.CheckField(group, "group name");
        ProbeTextGuard.CheckField(eventName, "event name");
        ProbeNames.CheckGroupName(group);
        ProbeNames.CheckEventName(eventName);
        Group = group;
        Event = eventName;
    }

    private ProbeRemoval(string eventName)
    {
        Event = eventName;
    }

    /// <summary>The group; null when the removal matches the event in any group.</summary>
    public string? Group { get; }

    public string Event { get; }

    /// <summary>Parses "-:[GROUP/]EVENT".</summary>
    public static ProbeRemoval Parse(string line) => ProbeDefinitionParser.ParseRemoval(line);

    internal static ProbeRemoval InAnyGroup(string eventName)
    {
        ProbeNames.CheckEventName(eventName);
        return new ProbeRemoval(eventName);
    }

    public override string ToString() => Group is null ? "-:" + Event : "-:" + Group + "/" + Event;
}
