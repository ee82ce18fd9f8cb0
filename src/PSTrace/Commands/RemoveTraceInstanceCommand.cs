using System.Management.Automation;
using PSTrace.Core.Processes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Remove-TraceInstance: removes tracefs instances (their buffers and settings go with them).</summary>
[Cmdlet(VerbsCommon.Remove, "TraceInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveTraceInstanceCommand : TraceCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!TryItem(() => InstanceName.Validate(name)))
            {
                continue;
            }

            if (InstanceName.OwnerOf(name) is int owner && owner != Environment.ProcessId && ProcessInfo.IsAlive(owner))
            {
                WriteWarning($"{name} belongs to a PSTrace session of process {owner}, which is still running.");
            }

            if (!ShouldProcess(name, "Remove tracefs instance"))
            {
                continue;
            }

            WriteVerbose($"Removing instance {name}.");
            TryItem(() => Instances.Remove(Fs, name));
        }
    }
}
