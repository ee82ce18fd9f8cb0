using System.Globalization;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools;

/// <summary>
/// The filters every watch tool shares: whole processes (every thread; with <see cref="IncludeChildren"/>
/// also the processes they start later) and command names (wildcards, case-insensitive).
/// </summary>
public sealed class WatchFilter
{
    public WatchFilter(IEnumerable<int>? processIds = null, bool includeChildren = false, IEnumerable<string>? commands = null, int? excludedProcessId = null)
    {
        ProcessIds = (processIds ?? []).Distinct().ToList();
        IncludeChildren = includeChildren;
        Commands = (commands ?? []).Select(CommandPattern.Parse).ToList();

        // Asking for a process by id wins over leaving it out.
        ExcludedProcessId = excludedProcessId is int excluded && !ProcessIds.Contains(excluded) ? excluded : null;
    }

    public static WatchFilter None { get; } = new();

    /// <summary>Processes (thread group ids) to watch; empty for all.</summary>
    public IReadOnlyList<int> ProcessIds { get; }

    /// <summary>Also watch processes the watched ones start while the watch runs.</summary>
    public bool IncludeChildren { get; }

    /// <summary>Command names to keep; empty for all.</summary>
    public IReadOnlyList<CommandPattern> Commands { get; }

    /// <summary>
    /// A process whose records are dropped (the watching pwsh: its own writes to the session's control
    /// files and reads of /proc would otherwise fill the output); null to keep every process.
    /// </summary>
    public int? ExcludedProcessId { get; }

    public bool HasProcesses => ProcessIds.Count > 0;

    public bool HasCommands => Commands.Count > 0;

    /// <summary>The kernel filter that keeps events of tasks whose comm matches a pattern; null without patterns.</summary>
    public string? KernelCommandFilter() =>
        Commands.Count == 0 ? null : string.Join(" || ", Commands.Select(c => "COMM ~ \"" + c.KernelGlob + "\""));

    public bool MatchesCommand(string? command) =>
        Commands.Count == 0 || (command is not null && Commands.Any(c => c.IsMatch(command)));

    /// <summary>True when a record passes the command-name filter and is not of the excluded process.</summary>
    public bool Keeps(IWatchRecord record) => record.ProcessId != ExcludedProcessId && MatchesCommand(record.Command);

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

        string kept = parts.Count == 0 ? "everything" : string.Join("; ", parts);
        return ExcludedProcessId is int excluded ? string.Create(CultureInfo.InvariantCulture, $"{kept} but process {excluded}") : kept;
    }
}
