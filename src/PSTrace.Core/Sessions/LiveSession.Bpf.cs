using PSTrace.Core.Bpf;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;

namespace PSTrace.Core.Sessions;

public sealed partial class LiveSession
{
    private readonly BpfObject? _bpfObject;
    private readonly IReadOnlyList<string> _bpfDetails = [];

    private LiveSession(BpfWatcher watcher, BpfObject obj, EventSource source, WatchFilter filter, IReadOnlyList<string> details)
    {
        _watcher = watcher;
        _bpfObject = obj;
        Source = source;
        _filter = filter;
        _bpfDetails = details;
        _endMarker = "";
    }

    /// <summary>
    /// Starts a session of a BPF tool: its program is loaded and attached, and its ring buffer read as the
    /// session's source; no tracefs instance is made. Stopping, -Duration's end and Dispose work as for a tracefs
    /// session (the program is detached and unloaded at Dispose; if the process dies, the kernel does it).
    /// </summary>
    /// <exception cref="Tracefs.TraceException">A process of the filter does not run (ProcessNotFound), BPF is not available here (BpfNotSupported) or the kernel refused the program (BpfLoadFailed).</exception>
    public static LiveSession StartBpf(BpfWatcher watcher, WatchFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        filter ??= WatchFilter.None;
        ProcessScope.RequireRunning(filter.ProcessIds);
        BpfObject obj = watcher.Load(filter);
        watcher.Clock = Tracefs.TraceClock.Now();
        BpfEventReader? reader = null;
        try
        {
            reader = new BpfEventReader(obj, BpfWatcher.RingMap, BpfWatcher.LossMap, watcher.Decode);
            var source = EventSource.OpenBpf(reader, $"the BPF ring buffer {BpfWatcher.RingMap} of {obj.Path} (programs {string.Join(", ", obj.Programs)})", watcher.Clock);
            string[] details = [$"Loaded {obj.Path}; attached {string.Join(", ", obj.Programs)}; filter: {filter}{(filter.HasProcesses ? " (processes in the kernel)" : "")}."];
            return new LiveSession(watcher, obj, source, filter, details);
        }
        catch
        {
            reader?.Dispose();
            obj.Dispose();
            throw;
        }
    }
}
