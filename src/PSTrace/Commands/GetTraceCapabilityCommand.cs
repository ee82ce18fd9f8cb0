using System.Management.Automation;
using PSTrace.Core.Bpf;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Get-TraceCapability: what this kernel and this user can trace, and for what is missing, why and what to do.</summary>
[Cmdlet(VerbsCommon.Get, "TraceCapability")]
[OutputType(typeof(TraceFeature))]
public sealed class GetTraceCapabilityCommand : TraceCmdlet
{
    /// <summary>Features to show, by name; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Name { get; set; } = { "*" };

    /// <summary>Only report what tracefs lists; do not start tracers to see whether the kernel lets them run.</summary>
    [Parameter]
    public SwitchParameter NoTracerCheck { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        // BPF is a way in beside tracefs: asked even where tracefs is missing.
        foreach (TraceFeature feature in Capabilities.Probe(tryTracers: !NoTracerCheck).Append(BpfCapability.Machine.Probe()))
        {
            if (patterns.Any(p => p.IsMatch(feature.Name)))
            {
                WriteObject(feature);
            }
        }
    }
}
