using System.Globalization;
using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>New-TraceInstance: creates a tracefs instance (its own buffer, events and options) that persists until removed.</summary>
[Cmdlet(VerbsCommon.New, "TraceInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TraceInstance))]
public sealed class NewTraceInstanceCommand : TraceCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Per-CPU buffer size in KiB; the kernel's default when omitted.</summary>
    [Parameter]
    [ValidateRange(4, 1048576)]
    public int BufferSizeKb { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, "Create tracefs instance"))
            {
                continue;
            }

            WriteVerbose($"Creating instance {name} under {Fs.InstancesDirectory}.");
            TryItem(() =>
            {
                TraceBuffer buffer = Instances.Create(Fs, name);
                if (BufferSizeKb > 0)
                {
                    try
                    {
                        buffer.Write("buffer_size_kb", BufferSizeKb.ToString(CultureInfo.InvariantCulture));
                    }
                    catch (TraceException)
                    {
                        Instances.Remove(Fs, name); // all or nothing
                        throw;
                    }
                }

                // Marked as PSTrace's, so Remove-TraceInstance removes it without asking.
                CreatedObjects.AddInstance(Fs, name);
                WriteObject(Instances.Describe(Fs, name));
            });
        }
    }
}
