using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Remove-TraceProbe: removes kprobes and uprobes, from the pipeline (Get-TraceProbe | Remove-TraceProbe) or by name.
/// The kernel refuses to remove a probe whose event is enabled anywhere; -Force disables it everywhere first.
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

    /// <summary>Disable the probe's event in the top-level buffer and in every instance first.</summary>
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

                chosen.AddRange(matches);
            }
        }

        foreach (TraceProbe probe in chosen.DistinctBy(p => p.FullName))
        {
            Remove(probe);
        }
    }

    private void Remove(TraceProbe probe)
    {
        if (SessionProbeGroup.LiveOtherOwnerOf(probe.Group) is int owner)
        {
            WriteWarning($"{probe.FullName} belongs to a PSTrace session of process {owner}, which is still running; removing it ends that trace.");
        }

        string action = Force && probe.IsEnabled ? $"Disable in {probe.DescribeEnabled()} and remove probe" : "Remove probe";
        if (!ShouldProcess(probe.ToString(), action))
        {
            return;
        }

        WriteVerbose($"Removing {probe.FullName}" + (Force && probe.IsEnabled ? $" after disabling it in {probe.DescribeEnabled()}." : "."));
        TryItem(() => ProbeEvents.Remove(Fs, probe, Force));
    }
}
