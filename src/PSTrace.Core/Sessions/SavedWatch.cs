using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tools;

namespace PSTrace.Core.Sessions;

/// <summary>
/// A watch tool over a saved trace (Watch-* -Path): the tool is set up without touching the kernel, finds its
/// events and probes by the names the recording session gave them, and reads the file's events into the same
/// records a live run gives. A PSTrace capture ends where its live run did, just before the session's end marker;
/// one that still holds the marker (an older capture) is read up to it.
/// </summary>
public static class SavedWatch
{
    private const string EndMarkerPrefix = "pstrace-end-";

    /// <summary>
    /// Sets <paramref name="watcher"/> up for <paramref name="source"/> (on the caller's thread, so a tool that finds
    /// nothing to read says so at once) and returns the reader of its records, WatchNotice objects first.
    /// </summary>
    /// <exception cref="Tracefs.TraceException">The tool cannot read this trace (no event it needs).</exception>
    public static Func<CancellationToken, IEnumerable<object>> Open(EventSource source, TraceWatcher watcher, WatchFilter? filter)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(watcher);
        WatchFilter kept = filter ?? WatchFilter.None;
        EventFormatCatalog catalog = source.Catalog ?? EventFormatCatalog.FromFormats([]);
        var setup = WatchSetup.ForSavedTrace(catalog, kept, source.SavedSessionNumber ?? 1, source.Clock);
        watcher.Configure(setup);
        return cancel => Records(source, watcher, kept, setup, cancel);
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
