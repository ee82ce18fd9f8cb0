using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;

namespace PSTrace.Tests.FunctionGraph;

/// <summary>Reads the function_graph fixtures (real 6.1 captures) into records.</summary>
internal static class GraphFixtures
{
    public static string[] Lines(string name) => File.ReadAllLines(Fixtures.PathOf("6.1/" + name));

    /// <summary>The line at a 1-based line number, as an editor shows it.</summary>
    public static string Line(string name, int number) => Lines(name)[number - 1];

    public static List<object> GraphRecords(string name, bool flat = false) =>
        FunctionGraphTextReader.ReadFile(Fixtures.PathOf("6.1/" + name), flat).ToList();

    public static List<FunctionCall> Roots(string name) => GraphRecords(name).OfType<FunctionCall>().ToList();

    public static List<FunctionCall> AllCalls(string name) => Roots(name).SelectMany(r => r.GetDescendantsAndSelf()).ToList();

    public static List<FunctionGraphLine> Parsed(string name)
    {
        var parser = new FunctionGraphLineParser();
        return Lines(name).Select(l => parser.Parse(l)).ToList();
    }

    public static FunctionCall Child(this FunctionCall call, string function) =>
        call.Children.Single(c => c.Function == function);

    public static long Micro(double microseconds) => (long)Math.Round(microseconds * 1000);
}
