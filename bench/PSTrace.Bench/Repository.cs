namespace PSTrace.Bench;

/// <summary>Finds the repository (the folder holding PSTrace.sln) from wherever the benchmark runs.</summary>
internal static class Repository
{
    public static string Fixture(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "PSTrace.sln")))
            {
                return Path.Combine(d.FullName, "tests", "fixtures", relative);
            }
        }

        throw new DirectoryNotFoundException("PSTrace.sln not found above " + AppContext.BaseDirectory);
    }
}
