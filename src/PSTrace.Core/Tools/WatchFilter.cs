using System.Globalization;

namespace PSTrace.Core.Tools;

/// <summary>
/// The filters every watch tool shares: whole processes (every thread; with <see cref="IncludeChildren"/>
/// also the processes they start later) and command names (wildcards, case-insensitive).
/// </summary>
public sealed class WatchFilter
{
    public WatchFilter(IEnumerable<int>? processIds = null, bool includeChildren = false, IEnumerable<string>? commands = null)
    {
        ProcessIds = (processIds ?? []).Distinct().ToList();
        IncludeChildren = includeChildren;
        Commands = (commands ?? []).Select(CommandPattern.Parse).ToList();
    }

    public static WatchFilter None { get; } = new();

    /// <summary>Processes (thread group ids) to watch; empty for all.</summary>
    public IReadOnlyList<int> ProcessIds { get; }

    /// <summary>Also watch processes the watched ones start while the watch runs.</summary>
    public bool IncludeChildren { get; }

    /// <summary>Command names to keep; empty for all.</summary>
    public IReadOnlyList<CommandPattern> Commands { get; }

    public bool HasProcesses => ProcessIds.Count > 0;

    public bool HasCommands => Commands.Count > 0;

    /// <summary>The kernel filter that keeps events of tasks whose comm matches a pattern; null without patterns.</summary>
    public string? KernelCommandFilter() =>
        Commands.Count == 0 ? null : string.Join(" || ", Commands.Select(c => "COMM ~ \"" + c.KernelGlob + "\""));

    public bool MatchesCommand(string? command) =>
        Commands.Count == 0 || (command is not null && Commands.Any(c => c.IsMatch(command)));

    /// <summary>What the filter keeps, for -Verbose.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (HasProcesses)
        {
            parts.Add("process " + string.Join(", ", ProcessIds.Select(p => p.ToString(CultureInfo.InvariantCulture))) + (IncludeChildren ? " and its children" : ""));
        }

        if (HasCommands)
        {
            parts.Add("command " + string.Join(", ", Commands));
        }

        return parts.Count == 0 ? "everything" : string.Join("; ", parts);
    }
}
