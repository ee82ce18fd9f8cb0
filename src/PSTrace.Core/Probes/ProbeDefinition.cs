using System.Globalization;
using System.Text;

namespace PSTrace.Core.Probes;

/// <summary>
/// One kprobe, kretprobe, uprobe or uretprobe, checked against the kernel's rules when it is made,
/// so every instance can be written to a control file as <see cref="ToString"/> gives it.
/// </summary>
public sealed class ProbeDefinition
{
    /// <summary>MAX_PROBE_EVENT_SIZE: bytes the arguments of one event may take in its record.</summary>
    public const int MaxRecordSize = 3072;

    private ProbeDefinition(ProbeKind kind, string group, bool groupGiven, string eventName, bool eventGiven,
        KernelProbePoint? kernelPoint, UserProbePoint? userPoint, int? maxActive, IReadOnlyList<FetchArgument> arguments)
    {
        Kind = kind;
        Group = group;
        GroupGiven = groupGiven;
        Event = eventName;
        EventGiven = eventGiven;
        KernelPoint = kernelPoint;
        UserPoint = userPoint;
        MaxActive = maxActive;
        Arguments = arguments;
    }

    public ProbeKind Kind { get; }

    /// <summary>The group (the events/ directory): the one given, or the kernel's default (kprobes, uprobes).</summary>
    public string Group { get; }

    /// <summary>False when the definition named no group and <see cref="Group"/> is the kernel's default.</summary>
    public bool GroupGiven { get; }

    /// <summary>The event name: the one given, or the one the kernel makes (p_SYMBOL_OFFSET, p_FILE_0xOFFSET).</summary>
    public string Event { get; }

    /// <summary>False when the definition named no event and <see cref="Event"/> is the kernel's own name for it.</summary>
    public bool EventGiven { get; }

    /// <summary>Where a kprobe or kretprobe goes; null for uprobes.</summary>
    public KernelProbePoint? KernelPoint { get; }

    /// <summary>Where a uprobe or uretprobe goes; null for kprobes.</summary>
    public UserProbePoint? UserPoint { get; }

    /// <summary>Kretprobe instances the kernel keeps for concurrent calls ("r10:"); null for the kernel's default.</summary>
    public int? MaxActive { get; }

    public IReadOnlyList<FetchArgument> Arguments { get; }

    /// <summary>"group/event", the event's name in tracefs (events/GROUP/EVENT).</summary>
    public string FullName => Group + "/" + Event;

    /// <summary>The place as written in the definition: [MOD:]SYM[+OFFS], 0xADDR, or PATH:0xOFFSET[(0xREF)].</summary>
    public string Place => KernelPoint?.ToString() ?? UserPoint!.ToString();

    /// <summary>Bytes the arguments take in each event record.</summary>
    public int RecordSize => Arguments.Sum(a => a.Type.RecordSize);

    /// <summary>
    /// Makes a definition from its parts. Arguments are re-read in this probe's context (a $retval is refused on an
    /// entry probe, @SYM on a uprobe, ...). Throws <see cref="ProbeValidationException"/> when the kernel would refuse it.
    /// </summary>
    public static ProbeDefinition Create(ProbeKind kind, KernelProbePoint place, string? eventName = null, string? group = null,
        IEnumerable<string>? arguments = null, int? maxActive = null)
    {
        ArgumentNullException.ThrowIfNull(place);
        if (!kind.IsKernel())
        {
            throw new ArgumentException($"A {kind} goes in a file; give a {nameof(UserProbePoint)}.", nameof(kind));
        }

        return Build(kind, place, null, eventName, group, ParseArguments(arguments, kind, place.IsFunctionEntry), maxActive);
    }

    /// <inheritdoc cref="Create(ProbeKind, KernelProbePoint, string?, string?, IEnumerable{string}?, int?)"/>
    public static ProbeDefinition Create(ProbeKind kind, UserProbePoint place, string? eventName = null, string? group = null,
        IEnumerable<string>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(place);
        if (kind.IsKernel())
        {
            throw new ArgumentException($"A {kind} goes in the kernel; give a {nameof(KernelProbePoint)}.", nameof(kind));
        }

        return Build(kind, null, place, eventName, group, ParseArguments(arguments, kind, false), null);
    }

    /// <summary>Parses one definition line in the kernel's syntax ("p:grp/ev sym+4 a=%di", "r:ev /bin/bash:0x8d2a0 ...").</summary>
    public static ProbeDefinition Parse(string line) => ProbeDefinitionParser.Parse(line);

    /// <summary>The line to write to kprobe_events, uprobe_events or dynamic_events, group and event always spelled out.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Kind.IsReturn() ? 'r' : 'p');
        if (MaxActive is int m)
        {
            sb.Append(m.ToString(CultureInfo.InvariantCulture));
        }

        sb.Append(':').Append(Group).Append('/').Append(Event).Append(' ').Append(Place);
        foreach (FetchArgument a in Arguments)
        {
            sb.Append(' ').Append(a);
        }

        return sb.ToString();
    }

    /// <summary>The line that removes this probe again ("-:group/event").</summary>
    public ProbeRemoval Removal() => new(Group, Event);

    /// <summary>A copy in another group or under another name, re-checked.</summary>
    public ProbeDefinition WithName(string? group, string? eventName) =>
        Build(Kind, KernelPoint, UserPoint, eventName ?? Event, group ?? Group, Arguments, MaxActive);

    internal static ProbeDefinition Build(ProbeKind kind, KernelProbePoint? kernelPoint, UserProbePoint? userPoint,
        string? eventName, string? group, IReadOnlyList<FetchArgument> arguments, int? maxActive)
    {
        if (group is not null)
        {
            ProbeNames.CheckGroupName(group);
        }

        if (eventName is not null)
        {
            ProbeNames.CheckEventName(eventName);
        }

        if (maxActive is not null)
        {
            CheckMaxActive(kind, maxActive.Value);
        }

        if (kind == ProbeKind.Kretprobe && kernelPoint is { Symbol: not null, Offset: > 0 })
        {
            throw new ProbeValidationException(ProbeErrorCode.BadRetprobe,
                $"A return probe goes on a function's entry; '{kernelPoint}' is {kernelPoint.Offset} bytes inside it. Drop the offset.", kernelPoint.ToString(), kernelPoint.ToString().IndexOf('+', StringComparison.Ordinal));
        }

        if (FindArgumentProblem(arguments) is { } problem)
        {
            throw problem.Error;
        }

        string effectiveEvent = eventName ?? DefaultEventName(kind, kernelPoint, userPoint);
        return new ProbeDefinition(kind, group ?? kind.DefaultGroup(), group is not null, effectiveEvent, eventName is not null,
            kernelPoint, userPoint, maxActive, arguments);
    }

    internal static void CheckMaxActive(ProbeKind kind, int maxActive)
    {
        string text = maxActive.ToString(CultureInfo.InvariantCulture);
        if (kind != ProbeKind.Kretprobe)
        {
            throw new ProbeValidationException(ProbeErrorCode.BadMaxactType, "maxactive ('r<N>:') is only for kernel return probes.", text, 0, text.Length);
        }

        if (maxActive <= 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.BadMaxact, "maxactive must be a whole number of at least 1.", text, 0, text.Length);
        }

        if (maxActive > KernelProbePoint.MaxActiveLimit)
        {
            throw new ProbeValidationException(ProbeErrorCode.MaxactTooBig, $"maxactive {maxActive} is too big; the kernel takes at most {KernelProbePoint.MaxActiveLimit}.", text, 0, text.Length);
        }
    }

    /// <summary>
    /// Checks that need every argument at once: count, duplicate names, a second $arg*, the record size.
    /// Returns the first problem and the index of the argument at fault (so a parser can point into its line), or null.
    /// </summary>
    internal static (int Index, ProbeValidationException Error)? FindArgumentProblem(IReadOnlyList<FetchArgument> arguments)
    {
        if (arguments.Count > ProbeNames.MaxArguments)
        {
            return (ProbeNames.MaxArguments, new ProbeValidationException(ProbeErrorCode.TooManyArgs,
                $"The probe has {arguments.Count} arguments; the kernel takes at most {ProbeNames.MaxArguments}.", arguments[ProbeNames.MaxArguments].ToString(), 0));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool allArgs = false;
        int size = 0;
        for (int i = 0; i < arguments.Count; i++)
        {
            FetchArgument a = arguments[i];
            if (a.Expression is AllArgumentsFetch)
            {
                if (allArgs)
                {
                    return (i, new ProbeValidationException(ProbeErrorCode.DoubleArgs, "$arg* may appear only once in a probe.", a.Body, 0, a.Body.Length));
                }

                allArgs = true;
                continue;
            }

            if (!seen.Add(a.Name))
            {
                return (i, new ProbeValidationException(ProbeErrorCode.UsedArgName,
                    $"The argument name '{a.Name}' is used twice; each argument is a field of the event and needs its own name.", a.Name, 0, a.Name.Length));
            }

            size += a.Type.RecordSize;
            if (size > MaxRecordSize)
            {
                return (i, new ProbeValidationException(ProbeErrorCode.EventTooBig,
                    $"The arguments need {size} bytes per event; the kernel takes at most {MaxRecordSize}. Use fewer or smaller arrays.", a.Name, 0, a.Name.Length));
            }
        }

        return null;
    }

    private static IReadOnlyList<FetchArgument> ParseArguments(IEnumerable<string>? arguments, ProbeKind kind, bool atFunctionEntry)
    {
        var list = new List<FetchArgument>();
        foreach (string text in arguments ?? [])
        {
            ProbeTextGuard.CheckField(text, "argument");
            int blank = text.IndexOfAny([' ', '\t']);
            if (blank >= 0)
            {
                throw new ProbeValidationException(ProbeErrorCode.BadFetchArg, "An argument may not contain spaces: the kernel splits a definition at spaces.", text, blank);
            }

            list.Add(FetchArgumentParser.Parse(text, new FetchContext(kind, atFunctionEntry), list.Count));
        }

        return list;
    }

    private static string DefaultEventName(ProbeKind kind, KernelProbePoint? kernelPoint, UserProbePoint? userPoint)
    {
        if (userPoint is not null)
        {
            return userPoint.KernelDefaultEventName();
        }

        if (kernelPoint!.Symbol is null)
        {
            // The kernel names an address probe after the address printed with %p, which it hashes: the name cannot be known beforehand.
            throw new ProbeValidationException(ProbeErrorCode.EventNameRequired,
                "An address kprobe needs an event name: the kernel would name it after a hashed pointer that cannot be known in advance.", kernelPoint.ToString(), 0, kernelPoint.ToString().Length);
        }

        string symbol = kernelPoint.Module is null ? kernelPoint.Symbol : kernelPoint.Module + ":" + kernelPoint.Symbol;
        string name = string.Create(CultureInfo.InvariantCulture, $"{(kind.IsReturn() ? 'r' : 'p')}_{symbol}_{kernelPoint.Offset}");
        name = name.Replace(':', '_').Replace('.', '_');
        return name.Length > ProbeNames.MaxNameLength ? name[..ProbeNames.MaxNameLength] : name;
    }
}
