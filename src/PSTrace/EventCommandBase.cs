using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>Shared by Enable-TraceEvent and Disable-TraceEvent: event names from arguments or the pipeline, in one buffer.</summary>
public abstract class EventCommandBase : TraceCmdlet
{
    private IReadOnlyList<EventId>? _available;

    /// <summary>system:event names; wildcards allowed.</summary>
    /// <remarks>
    /// Bound by value only: Get-TraceEventType and -PassThru objects convert to their full name
    /// (system:event). By property name, their Name (the bare event name) would bind instead.
    /// </remarks>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EventNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>The instance to work in; the top-level buffer when omitted or '/'; '' (an unset variable) is refused.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string? Instance { get; set; }

    /// <summary>Write the event's resulting state.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Every event the Name values resolve to; one bad name is an error for that name only.</summary>
    protected IEnumerable<EventId> ResolveEvents()
    {
        _available ??= Guard(() => AvailableEvents.List(Fs));
        var result = new List<EventId>();
        foreach (string text in Name)
        {
            TryItem(() => result.AddRange(AvailableEvents.Resolve(_available, EventPattern.Parse(text))));
        }

        return result;
    }
}
