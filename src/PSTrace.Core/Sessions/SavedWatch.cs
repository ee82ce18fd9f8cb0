using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;

namespace PSTrace.Core.Sessions;

/// <summary>
/// A watch tool over a saved trace (Watch-* -Path): the tool is set up without touching the kernel, finds its
/// events and probes by the names the recording session gave them, and reads the file's events into the same
/// records a live run gives. A PSTrace capture ends at its session's end marker, as the live run did.
/// </summary>
public static class SavedWatch
{
    private const string EndMarkerPrefix = "pstrace-end-";

    /// <summary>The watcher's records from <paramref name="source"/>, WatchNotice objects first.</summary>
    public static IEnumerable<object> Read(EventSource source, TraceWatcher watcher, WatchFilter? filter, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(watcher);
        filter ??= WatchFilter.None;
        EventFormatCatalog catalog = source.Catalog ?? EventFormatCatalog.FromFormats([]);
        var setup = WatchSetup.ForSavedTrace(catalog, filter, source.SavedSessionNumber ?? 1);
        watcher.Configure(setup);
        return Records(source, watcher, filter, setup, cancel);
    }

    private static IEnumerable<object> Records(EventSource source, TraceWatcher watcher, WatchFilter filter, WatchSetup setup, CancellationToken cancel)
    {
        foreach (string warning in setup.Warnings)
        {
            yield return new WatchNotice(warning);
        }

        foreach (object item in watcher.Correlate(UntilEnd(source.Read(cancel))))
        {
            if (item is IWatchRecord record && !filter.MatchesCommand(record.Command))
            {
                continue;
            }

            yield return item;
        }
    }

    private static IEnumerable<object> UntilEnd(IEnumerable<object> events)
    {
        foreach (object item in events)
        {
            if (item is TraceEvent ev && EventFields.MarkerText(ev) is { } marker && marker.StartsWith(EndMarkerPrefix, StringComparison.Ordinal))
            {
                yield break;
            }

            yield return item;
        }
    }
}
