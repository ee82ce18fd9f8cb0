using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Get-TraceProbe: the kprobes and uprobes that exist in the kernel, with where each is enabled.</summary>
[Cmdlet(VerbsCommon.Get, "TraceProbe")]
[OutputType(typeof(TraceProbe))]
public sealed class GetTraceProbeCommand : TraceCmdlet
{
    private IReadOnlyList<TraceProbe>? _probes;

    /// <summary>Event names, or group/name; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProbeNameCompleter))]
    public string[] Name { get; set; } = { "*" };

    /// <summary>Groups; wildcards allowed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] Group { get; set; } = { "*" };

    /// <summary>Only probes of these kinds.</summary>
    [Parameter]
    public ProbeKind[]? Kind { get; set; }

    protected override void ProcessRecord()
    {
        _probes ??= Guard(() => ProbeEvents.List(Fs));
        IEnumerable<TraceProbe> candidates = Kind is null ? _probes : _probes.Where(p => Kind.Contains(p.Kind));
        var candidateList = candidates.ToList();
        foreach (string name in Name)
        {
            IReadOnlyList<TraceProbe> matches = ProbeSelection.Select(candidateList, name, Group);
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ProbeSelection.NotFound(name, Group));
            }

            WriteObject(matches, enumerateCollection: true);
        }
    }
}
