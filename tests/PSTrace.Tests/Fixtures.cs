namespace PSTrace.Tests;

/// <summary>Finds files under tests/fixtures (real kernel output, named by kernel version and options).</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "PSTrace.sln")))
            {
                return Path.Combine(d.FullName, "tests", "fixtures");
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    });

    public static string Dir => Root.Value;

    /// <summary>The full path of a fixture, e.g. Path("6.18/trace-default.txt").</summary>
    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));
}
