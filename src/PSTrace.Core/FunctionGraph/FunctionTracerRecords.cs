using PSTrace.Core.Binary;
using PSTrace.Core.Records;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// The records of one tracer out of any event stream, live or saved: for function_graph, <see cref="FunctionCall"/>
/// trees (from funcgraph_entry/funcgraph_exit events, or already built from text); for function,
/// <see cref="FunctionHit"/> records (from ftrace:function events, or already read from text); lost events as
/// <see cref="TraceLostEvents"/> in both. Anything else (another tracer's records, other events) is counted and left out.
/// </summary>
public sealed class FunctionTracerRecords
{
    private readonly bool _graph;
    private readonly Lazy<KernelSymbols> _symbols;
    private readonly bool _flat;
    private readonly Dictionary<ulong, string> _names = new();

    /// <param name="graph">True for function_graph's FunctionCall trees, false for the function tracer's FunctionHit records.</param>
    /// <param name="symbols">Gives the traced kernel's symbols when the first binary record needs a name.</param>
    /// <param name="flat">function_graph: one FunctionCall per call rather than one per outermost call.</param>
    public FunctionTracerRecords(bool graph, Func<KernelSymbols> symbols, bool flat = false)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _graph = graph;
        _symbols = new Lazy<KernelSymbols>(symbols);
        _flat = flat;
    }

    /// <summary>The tracer's records handed on so far (FunctionCall or FunctionHit; TraceLostEvents not counted).</summary>
    public long Records { get; private set; }

    /// <summary>Events and records of another kind that were left out.</summary>
    public long Others { get; private set; }

    /// <summary>What was left out, by name ("sched:sched_switch", "FunctionHit"), for -Verbose.</summary>
    public IReadOnlyDictionary<string, long> OthersByName => _others;

    private readonly Dictionary<string, long> _others = new(StringComparer.Ordinal);

    /// <summary>The tracer's records and the lost-event notes of <paramref name="events"/>, in order.</summary>
    public IEnumerable<object> Read(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        IEnumerable<object> items = _graph ? FunctionGraphRecords.BuildCalls(events, () => _symbols.Value, _flat) : events;
        foreach (object item in items)
        {
            object? kept = item switch
            {
                TraceLostEvents => item,
                FunctionCall when _graph => item,
                FunctionHit when !_graph => item,
                TraceEvent { System: "ftrace", Name: "function" } e when !_graph => ToHit(e),
                _ => null,
            };

            if (kept is null)
            {
                LeaveOut(item);
                continue;
            }

            if (kept is not TraceLostEvents)
            {
                Records++;
            }

            yield return kept;
        }
    }

    /// <summary>An ftrace:function event as the text reader would have read it: the function and its caller by name.</summary>
    private FunctionHit? ToHit(TraceEvent e)
    {
        if (e.Fields.GetValueOrDefault("ip") is not ulong ip)
        {
            return null;
        }

        string? parent = e.Fields.GetValueOrDefault("parent_ip") is ulong caller && caller != 0 ? NameOf(caller) : null;
        return new FunctionHit(NameOf(ip), parent, e.Cpu, e.ProcessId, e.ThreadGroupId, e.Command, e.TimestampNanoseconds,
            string.IsNullOrEmpty(e.Flags) ? null : e.Flags);
    }

    /// <summary>The function an address lies in (the text's %ps: no offset); hex when no symbol covers it.</summary>
    private string NameOf(ulong address)
    {
        if (!_names.TryGetValue(address, out string? name))
        {
            name = _symbols.Value.Lookup(address)?.Name ?? _symbols.Value.Format(address);
            _names[address] = name;
        }

        return name;
    }

    private void LeaveOut(object item)
    {
        Others++;
        string name = item switch
        {
            TraceEvent e => e.FullName.Length == 0 ? "unrecognized line" : e.FullName,
            _ => item.GetType().Name,
        };
        _others[name] = _others.GetValueOrDefault(name) + 1;
    }
}
