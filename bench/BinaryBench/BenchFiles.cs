namespace BinaryBench;

/// <summary>
/// The files to measure: BINARYBENCH_FILES (colon-separated paths) when set, else the trace.dat and
/// raw-page fixtures. Child benchmark processes inherit the variable.
/// </summary>
internal static class BenchFiles
{
    public static string FixtureDir
    {
        get
        {
            for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "PSTrace.sln")))
                {
                    return Path.Combine(d.FullName, "tests", "fixtures", "6.18");
                }
            }

            throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
        }
    }

    public static IEnumerable<string> TraceDat()
    {
        string? custom = Environment.GetEnvironmentVariable("BINARYBENCH_FILES");
        return custom is { Length: > 0 }
            ? custom.Split(':', StringSplitOptions.RemoveEmptyEntries)
            : new[] { "tracedat-v7-none.dat", "tracedat-v7-zstd.dat" }.Select(f => Path.Combine(FixtureDir, f));
    }
}
