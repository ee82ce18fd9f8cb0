using System.Management.Automation;
using PSTrace.Core.Processes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Remove-TraceInstance: removes tracefs instances (their buffers and settings go with them). An instance
/// PSTrace did not make (another tool's, or made by hand) is removed only after a question, or with -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "TraceInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveTraceInstanceCommand : TraceCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Also remove instances PSTrace did not make, without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!TryItem(() => InstanceName.Validate(name)))
            {
                continue;
            }

            if (InstanceName.OwnerOf(name) is int owner && owner != Environment.ProcessId && SessionOwner.IsAlive(Fs, owner))
            {
                WriteWarning($"{name} belongs to a PSTrace session of process {owner}, which is still running.");
            }

            if (!ShouldProcess(name, "Remove tracefs instance"))
            {
                continue;
            }

            if (!CreatedObjects.IsOurInstance(Fs, name) && Fs.InstanceNames().Contains(name, StringComparer.Ordinal)
                && !ForeignRemoval.Allowed(this, Force, $"instance {name}", name))
            {
                continue;
            }

            WriteVerbose($"Removing instance {name}.");
            if (TryItem(() => Instances.Remove(Fs, name)))
            {
                TryItem(() => CreatedObjects.RemoveInstance(Fs, name));
            }
        }
    }
}
