using System.Management.Automation;
using PSTrace.Core.Formats;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Get-TraceEventType: the events this kernel offers, with their fields from the format files.</summary>
[Cmdlet(VerbsCommon.Get, "TraceEventType")]
[OutputType(typeof(EventFormat))]
public sealed class GetTraceEventTypeCommand : TraceCmdlet
{
    /// <summary>system:event names; wildcards allowed; an event name alone matches it in any system.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EventNameCompleter))]
    public string[] Name { get; set; } = { "*:*" };

    private IReadOnlyList<EventId>? _available;

    protected override void ProcessRecord()
    {
        _available ??= Guard(() => AvailableEvents.List(Fs));
        foreach (string text in Name)
        {
            TryItem(() =>
            {
                EventPattern pattern = EventPattern.Parse(text);
                foreach (EventId id in AvailableEvents.Resolve(_available, pattern))
                {
                    if (Cancellation.IsCancellationRequested)
                    {
                        return;
                    }

                    string formatPath = Path.Combine(Fs.TopLevel.EventDirectory(id.System, id.Name), "format");
                    WriteObject(EventFormatParser.Parse(ControlFile.Read(formatPath), id.System));
                }
            });
        }
    }
}
