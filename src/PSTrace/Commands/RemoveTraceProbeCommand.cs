using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Remove-TraceProbe: removes kprobes and uprobes, from the pipeline (Get-TraceProbe | Remove-TraceProbe) or by name.
/// The kernel refuses to remove a probe whose event is enabled anywhere; -Force disables it everywhere first.
/// A probe PSTrace did not make (another tool's, or written by hand) is removed only after a question, or with
/// -Force; a wildcard that matches one needs -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "TraceProbe", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveTraceProbeCommand : TraceCmdlet
{
    private const string NameSet = "Name";
    private const string InputSet = "InputObject";

    /// <summary>Probes from Get-TraceProbe, New-Uprobe or New-Kprobe.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
    public TraceProbe[] InputObject { get; set; } = Array.Empty<TraceProbe>();

    /// <summary>Event names, or group/name; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProbeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Groups; wildcards allowed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    public string[] Group { get; set; } = { "*" };

    /// <summary>Disable the probe's event in the top-level buffer and in every instance first; and remove probes PSTrace did not make without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<TraceProbe> current = Guard(() => ProbeEvents.List(Fs));
        var chosen = new List<TraceProbe>();
        if (ParameterSetName == InputSet)
        {
            foreach (TraceProbe given in InputObject)
            {
                TraceProbe? now = current.FirstOrDefault(p => p.FullName == given.FullName);
                if (now is null)
                {
                    WriteError(ProbeSelection.NotFound(given.FullName, ["*"]));
                }
                else
                {
                    chosen.Add(now);
                }
            }
        }
        else
        {
            foreach (string name in Name)
            {
                IReadOnlyList<TraceProbe> matches = ProbeSelection.Select(current, name, Group);
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(ProbeSelection.NotFound(name, Group));
                }

                chosen.AddRange(Force || !ByWildcard(name) ? matches : WithoutForeign(matches));
            }
        }

        foreach (TraceProbe probe in chosen.DistinctBy(p => p.FullName))
        {
            Remove(probe);
        }
    }

    private void Remove(TraceProbe probe)
    {
        if (SessionProbeGroup.LiveOtherOwnerOf(Fs, probe.Group) is int owner)
        {
            WriteWarning($"{probe.FullName} belongs to a PSTrace session of process {owner}, which is still running; removing it ends that trace.");
        }

        if (!CreatedObjects.IsOurProbe(Fs, probe.Group, probe.Name) && !ForeignRemoval.Allowed(this, Force, $"probe {probe.FullName}", probe.FullName))
        {
            return;
        }

        string action = Force && probe.IsEnabled ? $"Disable in {probe.DescribeEnabled()} and remove probe" : "Remove probe";
        if (!ShouldProcess(probe.ToString(), action))
        {
            return;
        }

        WriteVerbose($"Removing {probe.FullName}" + (Force && probe.IsEnabled ? $" after disabling it in {probe.DescribeEnabled()}." : "."));
        if (TryItem(() => ProbeEvents.Remove(Fs, probe, Force)))
        {
            TryItem(() => CreatedObjects.RemoveProbe(Fs, probe.Group, probe.Name));
        }
    }

    /// <summary>Whether a name matched by wildcard: in the name, or in a -Group given (the default '*' with an exact name is not a wildcard the user wrote).</summary>
    private bool ByWildcard(string name) =>
        WildcardPattern.ContainsWildcardCharacters(name)
        || (MyInvocation.BoundParameters.ContainsKey(nameof(Group)) && Group.Any(WildcardPattern.ContainsWildcardCharacters));

    /// <summary>The matches of a wildcard that PSTrace made; each other one is an error naming -Force.</summary>
    private IEnumerable<TraceProbe> WithoutForeign(IReadOnlyList<TraceProbe> matches)
    {
        foreach (TraceProbe probe in matches)
        {
            if (CreatedObjects.IsOurProbe(Fs, probe.Group, probe.Name))
            {
                yield return probe;
            }
            else
            {
                WriteError(ForeignRemoval.NotOurs($"probe {probe.FullName}", probe.FullName, "A wildcard matched it"));
            }
        }
    }
}
