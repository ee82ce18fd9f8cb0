using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Disable-TraceEvent: disables events in a buffer, optionally clearing their filter and triggers.</summary>
[Cmdlet(VerbsLifecycle.Disable, "TraceEvent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TraceEventState))]
public sealed class DisableTraceEventCommand : EventCommandBase
{
    /// <summary>Also clear the event's filter and remove its triggers.</summary>
    [Parameter]
    public SwitchParameter Clear { get; set; }

    protected override void ProcessRecord()
    {
        TraceBuffer buffer = ResolveBuffer(Instance);
        foreach (EventId ev in ResolveEvents())
        {
            if (!ShouldProcess($"{ev} in {buffer.DisplayName}", "Disable"))
            {
                continue;
            }

            WriteVerbose($"Disabling {ev} in {buffer.DisplayName}{(Clear ? ", clearing its filter and triggers" : "")}.");
            bool ok = TryItem(() =>
            {
                EventControl.Disable(buffer, ev, clearFilter: Clear);
                if (Clear)
                {
                    EventControl.RemoveTriggers(buffer, ev);
                }
            });
            if (ok && PassThru)
            {
                WriteObject(TraceEventState.Read(buffer, ev));
            }
        }
    }
}
