using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Enable-TraceEvent: enables events in a buffer, with an optional kernel filter and triggers.</summary>
[Cmdlet(VerbsLifecycle.Enable, "TraceEvent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TraceEventState))]
public sealed class EnableTraceEventCommand : EventCommandBase
{
    /// <summary>A kernel filter expression, e.g. 'common_pid == 42' or 'filename ~ "/bin/*"'.</summary>
    [Parameter]
    public string? Filter { get; set; }

    /// <summary>Triggers to add (traceon, traceoff, stacktrace, snapshot, hist:..., enable_event:...).</summary>
    [Parameter]
    public string[] Trigger { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        TraceBuffer buffer = ResolveBuffer(Instance);
        foreach (EventId ev in ResolveEvents())
        {
            string what = ev + (Filter is null ? "" : $" with filter '{Filter}'") + (Trigger.Length == 0 ? "" : $" and trigger '{string.Join("', '", Trigger)}'");
            if (!ShouldProcess($"{ev} in {buffer.DisplayName}", "Enable"))
            {
                continue;
            }

            WriteVerbose($"Enabling {what} in {buffer.DisplayName}.");
            bool ok = TryItem(() => Enable(buffer, ev));
            if (ok && PassThru)
            {
                WriteObject(TraceEventState.Read(buffer, ev));
            }
        }
    }

    private void Enable(TraceBuffer buffer, EventId ev)
    {
        if (Trigger.Length <= 1)
        {
            EventControl.Enable(buffer, ev, Filter, Trigger.FirstOrDefault());
            return;
        }

        // Several triggers: each is one write; if a later one is refused, remove the earlier ones.
        EventControl.Enable(buffer, ev, Filter, Trigger[0]);
        var added = new List<string> { Trigger[0] };
        try
        {
            foreach (string t in Trigger.Skip(1))
            {
                buffer.Write(Path.Combine("events", ev.System, ev.Name, "trigger"), t, append: true);
                added.Add(t);
            }
        }
        catch (TraceException)
        {
            foreach (string t in added)
            {
                EventControl.Disable(buffer, ev, clearFilter: false, trigger: t);
            }

            EventControl.Disable(buffer, ev, clearFilter: Filter is not null);
            throw;
        }
    }
}
