using System.Management.Automation;
using PSTrace.Core.Probes;

namespace PSTrace;

/// <summary>
/// Picks probes by -Name and -Group patterns (wildcards, case-sensitive like the kernel's names). A name pattern
/// with a '/' is matched against group/name, so "uprobes/readline" works as well as -Name readline -Group uprobes.
/// </summary>
internal static class ProbeSelection
{
    /// <summary>The probes one name pattern selects within the given groups.</summary>
    public static IReadOnlyList<TraceProbe> Select(IEnumerable<TraceProbe> probes, string name, IReadOnlyList<string> groups)
    {
        var namePattern = new WildcardPattern(name, WildcardOptions.None);
        var groupPatterns = groups.Select(g => new WildcardPattern(g, WildcardOptions.None)).ToList();
        bool full = name.Contains('/', StringComparison.Ordinal);
        return probes.Where(p => namePattern.IsMatch(full ? p.FullName : p.Name) && groupPatterns.Any(g => g.IsMatch(p.Group))).ToList();
    }

    public static ErrorRecord NotFound(string name, IReadOnlyList<string> groups)
    {
        string where = groups.Count == 1 && groups[0] == "*" ? "" : $" in group {string.Join(" or ", groups)}";
        return new ErrorRecord(new ItemNotFoundException($"There is no probe named '{name}'{where}."), "ProbeNotFound", ErrorCategory.ObjectNotFound, name)
        {
            ErrorDetails = new ErrorDetails($"There is no probe named '{name}'{where}.") { RecommendedAction = "Get-TraceProbe lists the probes; names are case-sensitive." },
        };
    }
}
