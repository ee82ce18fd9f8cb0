using PSTrace.Core.Formats;
using PSTrace.Core.Text;
using PSTrace.Core.Tools;

namespace PSTrace.Tests.Tools;

/// <summary>Runs a watcher over a saved capture of tests/fixtures/6.18/watch, set up the way a session numbered 1 sets it up.</summary>
internal static class WatchFixtures
{
    public const string ExecOpen = "6.18/watch/exec-open-trace.txt";
    public const string Block = "6.18/watch/block-trace.txt";

    public static EventFormatCatalog Catalog() => EventFormatCatalog.Load(Fixtures.PathOf("6.18/watch/formats"));

    public static List<object> Run(TraceWatcher watcher, string fixture, WatchFilter? filter = null)
    {
        EventFormatCatalog catalog = Catalog();
        watcher.Configure(WatchSetup.ForSavedTrace(catalog, filter));
        using var reader = new StreamReader(Fixtures.PathOf(fixture));
        return watcher.Correlate(TraceTextReader.Read(reader, catalog)).ToList();
    }
}
