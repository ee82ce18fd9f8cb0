namespace PSTrace.Core.Probes;

/// <summary>
/// A kprobe, kretprobe, uprobe or uretprobe that exists in the kernel: what its listing line says, and the
/// buffers it is enabled in. A snapshot: plain data that survives remoting, Export-Clixml and ConvertTo-Json.
/// </summary>
public sealed class TraceProbe
{
    public TraceProbe(ProbeKind kind, string group, string name, string place, int? maxActive, IReadOnlyList<string> arguments,
        bool enabledAtTopLevel, IReadOnlyList<string> enabledInstances, string line)
    {
        Kind = kind;
        Group = group;
        Name = name;
        Place = place;
        MaxActive = maxActive;
        Arguments = arguments;
        EnabledAtTopLevel = enabledAtTopLevel;
        EnabledInstances = enabledInstances;
        Line = line;
    }

    public ProbeKind Kind { get; }

    /// <summary>The group: the events/ directory the probe's event is in (kprobes, uprobes, or one a user named).</summary>
    public string Group { get; }

    /// <summary>The event name (events/GROUP/NAME).</summary>
    public string Name { get; }

    /// <summary>"group/name", as the probe files write it.</summary>
    public string FullName => Group + "/" + Name;

    /// <summary>"group:name", the form Enable-TraceEvent and the other event cmdlets take.</summary>
    public string EventName => Group + ":" + Name;

    /// <summary>Where the probe sits, as the kernel lists it: SYMBOL[+OFFSET] for kprobes, PATH:0xOFFSET for uprobes.</summary>
    public string Place { get; }

    /// <summary>A kretprobe's maxactive when the kernel lists one ("r10:"); null otherwise.</summary>
    public int? MaxActive { get; }

    /// <summary>The fetch-args as listed, "name=fetcharg[:type]" each, in the order of the event's fields.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Enabled in the top-level buffer.</summary>
    public bool EnabledAtTopLevel { get; }

    /// <summary>The instances the probe is enabled in.</summary>
    public IReadOnlyList<string> EnabledInstances { get; }

    public bool IsEnabled => EnabledAtTopLevel || EnabledInstances.Count > 0;

    /// <summary>The definition as the kernel lists it; New-Kprobe and New-Uprobe -Definition take it back.</summary>
    public string Line { get; }

    /// <summary>The same probe as a checked definition (to parse its hits with <see cref="ProbeHitParser"/>).</summary>
    public ProbeDefinition ToDefinition() => ProbeDefinition.Parse(Line);

    /// <summary>Where it is enabled, for people: "(top level), inst1, inst2", or "" when nowhere.</summary>
    public string DescribeEnabled() => string.Join(", ", (EnabledAtTopLevel ? new[] { "(top level)" } : []).Concat(EnabledInstances));

    public override string ToString() => Line;
}
