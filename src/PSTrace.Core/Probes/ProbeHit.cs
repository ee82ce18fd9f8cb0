using PSTrace.Core.Records;

namespace PSTrace.Core.Probes;

/// <summary>
/// One hit of a kprobe, kretprobe, uprobe or uretprobe, from the event's text:
/// "(0x48db60)", "(do_sys_open+0x0/0x220) filename=..." or, for a return probe, "(RETURN_SITE &lt;- FUNCTION) ...".
/// Addresses of uprobes are numbers; kprobes print symbol+offset/size, kept as text.
/// </summary>
public sealed class ProbeHit
{
    internal ProbeHit(string group, string eventName, ProbeKind kind, ulong? address, string? symbol, ulong? returnAddress, string? returnSymbol, ProbeArguments arguments, TraceEvent? source = null)
    {
        Source = source;
        Group = group;
        Event = eventName;
        Kind = kind;
        Address = address;
        Symbol = symbol;
        ReturnAddress = returnAddress;
        ReturnSymbol = returnSymbol;
        Arguments = arguments;
    }

    /// <summary>When the hit happened, in the trace clock (seconds); 0 when parsed from a body alone.</summary>
    public decimal Timestamp => Source?.Timestamp ?? 0;

    public ulong TimestampNanoseconds => Source?.TimestampNanoseconds ?? 0;

    /// <summary>The wall-clock time of the hit, as <see cref="TraceEvent.Time"/>; null when unknown.</summary>
    public DateTime? Time => Source?.Time;

    public int Cpu => Source?.Cpu ?? -1;

    /// <summary>The thread that hit the probe (the kernel's pid).</summary>
    public int ProcessId => Source?.ProcessId ?? 0;

    public int? ThreadGroupId => Source?.ThreadGroupId;

    public string Command => Source?.Command ?? "";

    public string Group { get; }

    public string Event { get; }

    public ProbeKind Kind { get; }

    /// <summary>Where the probe hit (a uprobe's instruction address; a return probe's function); null when the kernel printed a symbol instead.</summary>
    public ulong? Address { get; }

    /// <summary>The kernel's symbol+offset/size for the probed place (kprobes); null for uprobes.</summary>
    public string? Symbol { get; }

    /// <summary>A return probe's return site: where the function returned to, as an address (uretprobes).</summary>
    public ulong? ReturnAddress { get; }

    /// <summary>A kretprobe's return site as symbol+offset/size.</summary>
    public string? ReturnSymbol { get; }

    /// <summary>
    /// The arguments in declared order, converted by their declared type: long (s*), ulong (u*, x*, bit fields),
    /// char, string (string, ustring, symstr, %pd, %pD), string (symbol), arrays of those, and <see cref="ProbeFault"/> for "(fault)".
    /// </summary>
    public ProbeArguments Arguments { get; }

    public string FullName => Group + "/" + Event;

    /// <summary>The trace event this hit was read from (hidden from serializers' first level by being a method).</summary>
    private TraceEvent? Source { get; }

    public TraceEvent? GetSourceEvent() => Source;

    /// <summary>The same hit, carrying the time, CPU and task of the event it was read from.</summary>
    internal ProbeHit WithSource(TraceEvent source) => new(Group, Event, Kind, Address, Symbol, ReturnAddress, ReturnSymbol, Arguments, source);

    public override string ToString()
    {
        string place = Symbol ?? (Address is ulong a ? KernelNumber.Hex(a) : "?");
        string where = Kind.IsReturn() ? $"{ReturnSymbol ?? (ReturnAddress is ulong r ? KernelNumber.Hex(r) : "?")} <- {place}" : place;
        return Arguments.Count == 0 ? $"{Event}: ({where})" : $"{Event}: ({where}) {Arguments}";
    }
}
