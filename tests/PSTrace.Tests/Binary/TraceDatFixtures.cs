namespace PSTrace.Tests.Binary;

/// <summary>The trace.dat fixtures, as INDEX.tsv lists them.</summary>
internal static class TraceDatFixtures
{
    public static IEnumerable<string> All(string kernel = "6.18") =>
        File.ReadAllLines(Fixtures.PathOf(kernel + "/INDEX.tsv"))
            .Select(l => l.Split('\t')[0])
            .Where(f => f.EndsWith(".dat", StringComparison.Ordinal))
            .Select(f => kernel + "/" + f);

    public static TheoryData<string> Theory()
    {
        var data = new TheoryData<string>();
        foreach (string f in All())
        {
            data.Add(f);
        }

        return data;
    }
}
