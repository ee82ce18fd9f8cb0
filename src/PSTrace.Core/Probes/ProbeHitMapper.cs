using PSTrace.Core.Records;

namespace PSTrace.Core.Probes;

/// <summary>
/// Turns trace events of kprobes and uprobes into ProbeHit records, from the fields the event was read
/// with (text and binary pages alike give __probe_ip, or __probe_func and __probe_ret_ip, and the
/// declared arguments by name). Events of anything else pass through unchanged, and so does a probe
/// event whose fields do not fit its definition (text read without the probe's format has none).
/// </summary>
public sealed class ProbeHitMapper
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);
    private readonly Func<IReadOnlyList<TraceProbe>> _listProbes;
    private Dictionary<(string Group, string Name), ProbeDefinition> _byId = new();
    private Dictionary<string, ProbeDefinition?> _byName = new(StringComparer.Ordinal);
    private DateTime _loadedAt = DateTime.MinValue;

    /// <param name="listProbes">Lists the kernel's probes; called again (at most once a second) when an unknown probe event appears.</param>
    public ProbeHitMapper(Func<IReadOnlyList<TraceProbe>> listProbes) => _listProbes = listProbes;

    public object Map(object record)
    {
        if (record is not TraceEvent ev || ev.Name.Length == 0 || ev.Cpu < 0)
        {
            return record;
        }

        if (!ev.Fields.ContainsKey("__probe_ip") && !ev.Fields.ContainsKey("__probe_func"))
        {
            return record;
        }

        ProbeDefinition? definition = Find(ev);
        if (definition is null && DateTime.UtcNow - _loadedAt > ReloadInterval)
        {
            Load();
            definition = Find(ev);
        }

        if (definition is null)
        {
            return record;
        }

        try
        {
            return ProbeHitParser.FromFields(definition, ev.Fields).WithSource(ev);
        }
        catch (FormatException)
        {
            return record; // kept as the plain event: never dropped
        }
    }

    private ProbeDefinition? Find(TraceEvent ev) => ev.System.Length > 0
        ? _byId.GetValueOrDefault((ev.System, ev.Name))
        : _byName.GetValueOrDefault(ev.Name);

    private void Load()
    {
        _loadedAt = DateTime.UtcNow;
        var byId = new Dictionary<(string, string), ProbeDefinition>();
        var byName = new Dictionary<string, ProbeDefinition?>(StringComparer.Ordinal);
        foreach (TraceProbe probe in _listProbes())
        {
            ProbeDefinition definition;
            try
            {
                definition = probe.ToDefinition();
            }
            catch (FormatException)
            {
                continue; // a listing line stricter validation refuses: its events stay plain
            }

            byId[(probe.Group, probe.Name)] = definition;
            // A name in two groups is ambiguous without the system: map neither.
            byName[probe.Name] = byName.ContainsKey(probe.Name) ? null : definition;
        }

        _byId = byId;
        _byName = byName;
    }
}
