using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>
/// Reset-Trace: removes what PSTrace sessions left behind when their process was killed (instances
/// pstrace-PID-N and probe groups pstrace_PID whose PID is gone). Never touches other tools' state.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "Trace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OrphanedObject))]
public sealed class ResetTraceCommand : TraceCmdlet
{
    /// <summary>Also remove the instances and probes of PSTrace sessions that are still running.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>With -All, do not ask for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write each removed object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        IReadOnlyList<OrphanedObject> found = Guard(() => SessionReaper.FindOrphans(Fs, includeLive: All));
        if (found.Count == 0)
        {
            WriteVerbose("Nothing left behind by PSTrace sessions.");
            return;
        }

        var chosen = found.Where(o => ShouldProcess(o.ToString(), ActionOn(o))).ToList();
        if (All && chosen.Any(o => o.OwnerAlive) && !Force &&
            !ShouldContinue($"{chosen.Count(o => o.OwnerAlive)} object(s) belong to PSTrace sessions that are still running; removing them stops those traces.", "Reset all PSTrace sessions?"))
        {
            return;
        }

        var failed = new HashSet<OrphanedObject>();
        foreach ((OrphanedObject item, TraceException error) in SessionReaper.Reap(Fs, chosen))
        {
            failed.Add(item);
            WriteError(ErrorRecords.From(error));
        }

        foreach (OrphanedObject item in chosen.Where(o => !failed.Contains(o)))
        {
            WriteVerbose(item.Kind == OrphanKind.Settings ? $"Put back {item}." : $"Removed {item}.");
            if (PassThru)
            {
                WriteObject(item);
            }
        }
    }

    private static string ActionOn(OrphanedObject item) => item.Kind == OrphanKind.Settings ? "Put back" : "Remove";
}
