using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Text;

/// <summary>The text fixtures and the 6.18 format files captured with them.</summary>
internal static class TextFixtures
{
    private static readonly Lazy<EventFormatCatalog> Catalog618 = new(() => EventFormatCatalog.Load(Fixtures.PathOf("6.18/formats")));

    /// <summary>Formats of every event in the 6.18 text fixtures.</summary>
    public static EventFormatCatalog Formats618 => Catalog618.Value;

    /// <summary>
    /// Every text fixture, as a path relative to tests/fixtures: the 6.18 trace/trace_pipe captures
    /// (trace*.txt; the uprobe captures beside them are the probe tests', with formats of their own)
    /// and the perf-tools examples.
    /// </summary>
    public static IEnumerable<string> All() =>
        Directory.GetFiles(Fixtures.PathOf("6.18"), "trace*.txt").Select(f => "6.18/" + Path.GetFileName(f))
            .Concat(Directory.GetFiles(Fixtures.PathOf("perf-tools-examples"), "*.txt").Select(f => "perf-tools-examples/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> AllData() => new(All());

    public static TheoryData<string> Kernel618Data() => new(All().Where(f => f.StartsWith("6.18/", StringComparison.Ordinal)));

    /// <summary>The catalog a fixture was captured with (the perf-tools examples have none).</summary>
    public static EventFormatCatalog? CatalogFor(string fixture) => fixture.StartsWith("6.18/", StringComparison.Ordinal) ? Formats618 : null;

    public static List<object> Read(string fixture, EventFormatCatalog? catalog)
    {
        using var reader = new StreamReader(Fixtures.PathOf(fixture));
        return TraceTextReader.Read(reader, catalog).ToList();
    }

    public static List<object> Read(string fixture) => Read(fixture, CatalogFor(fixture));

    public static List<TraceEvent> Events(string fixture) => Read(fixture).OfType<TraceEvent>().ToList();

    /// <summary>The event read from the fixture's line with this 1-based number.</summary>
    public static TraceEvent EventAtLine(string fixture, int lineNumber)
    {
        string line = File.ReadLines(Fixtures.PathOf(fixture)).ElementAt(lineNumber - 1);
        return Events(fixture).Single(e => e.Line == line || (e.Line?.StartsWith(line + "\n", StringComparison.Ordinal) ?? false));
    }
}
