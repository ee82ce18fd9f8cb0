using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Probes;

/// <summary>
/// Names of kernel functions a kprobe can go on, for completion: available_filter_functions when it can be read
/// (the functions ftrace knows), else the text symbols of /proc/kallsyms (readable even where lockdown refuses
/// the former). Read once a minute at most: the lists are large (over 100,000 names) and change only when a
/// module loads.
/// </summary>
public static class KernelFunctions
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private static (DateTime Read, IReadOnlyList<string> Names)? s_cache;

    /// <summary>The names, sorted and without duplicates; empty when neither source can be read.</summary>
    public static IReadOnlyList<string> List(Tracefs.Tracefs? fs)
    {
        if (s_cache is { } c && DateTime.UtcNow - c.Read < MaxAge)
        {
            return c.Names;
        }

        IReadOnlyList<string> names = Read(fs);
        s_cache = (DateTime.UtcNow, names);
        return names;
    }

    /// <summary>"name" or "name [module]" lines, as available_filter_functions prints them.</summary>
    public static IEnumerable<string> ParseFilterFunctions(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', '\t')[0]);

    /// <summary>"ADDRESS TYPE NAME[\t[MODULE]]" lines of /proc/kallsyms: the names of code symbols (type t or T).</summary>
    public static IEnumerable<string> ParseKallsyms(string text)
    {
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && f[1] is "t" or "T")
            {
                yield return f[2];
            }
        }
    }

    private static IReadOnlyList<string> Read(Tracefs.Tracefs? fs)
    {
        IEnumerable<string> names = [];
        if (fs is not null && TryRead(fs.PathOf("available_filter_functions")) is { } filter)
        {
            names = ParseFilterFunctions(filter);
        }
        else if (TryRead("/proc/kallsyms") is { } kallsyms)
        {
            names = ParseKallsyms(kallsyms);
        }

        return names.Where(FetchArgumentParser.IsKernelSymbol).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
