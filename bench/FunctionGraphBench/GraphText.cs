namespace FunctionGraphBench;

/// <summary>Real function_graph captures from tests/fixtures, repeated to make a long trace.</summary>
internal static class GraphText
{
    public static string[] Load(string fixture, int copies)
    {
        string path = Path.Combine(FixturesDirectory(), "6.1", fixture);
        string[] body = File.ReadAllLines(path).Where(l => !l.StartsWith('#')).ToArray();
        return Enumerable.Repeat(body, copies).SelectMany(b => b).ToArray();
    }

    private static string FixturesDirectory()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "PSTrace.sln")))
            {
                return Path.Combine(d.FullName, "tests", "fixtures");
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}
