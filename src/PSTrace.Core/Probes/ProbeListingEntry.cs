namespace PSTrace.Core.Probes;

/// <summary>
/// One line of kprobe_events, uprobe_events or dynamic_events as the kernel lists it
/// ("r10:kprobes/myret do_sys_open", "p:uprobes/p_bash_0x4245c0 /bin/bash:0x00000000000c45c0 arg1=%di").
/// Everything is kept as listed; <see cref="Definition"/> is the same probe as a checked definition, or null
/// when PSTrace's stricter checks refuse what the kernel once accepted (then <see cref="Problem"/> says why).
/// </summary>
public sealed class ProbeListingEntry
{
    internal ProbeListingEntry(string line, ProbeKind kind, string group, string eventName, string place, int? maxActive,
        IReadOnlyList<string> arguments, ProbeDefinition? definition, string? problem)
    {
        Line = line;
        Kind = kind;
        Group = group;
        Event = eventName;
        Place = place;
        MaxActive = maxActive;
        Arguments = arguments;
        Definition = definition;
        Problem = problem;
    }

    public ProbeKind Kind { get; }

    public string Group { get; }

    public string Event { get; }

    /// <summary>The place as listed: SYMBOL[+OFFSET], 0xADDRESS, or PATH:0x%016x[(0xREF)].</summary>
    public string Place { get; }

    /// <summary>The kretprobe's maxactive as listed ("r10:"); null when the line shows none.</summary>
    public int? MaxActive { get; }

    /// <summary>The arguments as listed, "name=fetcharg[:type]" each.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public ProbeDefinition? Definition { get; }

    public string? Problem { get; }

    /// <summary>The line as read.</summary>
    public string Line { get; }

    public string FullName => Group + "/" + Event;

    public override string ToString() => Line;
}
