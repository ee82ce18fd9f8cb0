using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.HostLookup;

namespace PSTrace.Commands;

/// <summary>
/// Watch-HostLookup: host name lookups (getaddrinfo) with their latency and addresses, and the connections the
/// process then made to those addresses, like gethostlatency joined with the connections that followed.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "HostLookup", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(HostLookupEvent), typeof(TraceLostEvents))]
public sealed class WatchHostLookupCommand : WatchCommandBase
{
    /// <summary>How long after a lookup its process's connections to the returned addresses are counted; the lookup is written when it has passed.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan ConnectionWindow { get; set; } = TimeSpan.FromSeconds(2);

    protected override TraceWatcher CreateWatcher() => new HostLookupWatcher(ConnectionWindow);
}
