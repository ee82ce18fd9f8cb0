using System.Globalization;

namespace PSTrace.Core.Binary;

/// <summary>
/// The kernel's pid -> comm cache (saved_cmdlines, or trace.dat's CMDLINES) and pid -> tgid map
/// (saved_tgids, filled when the record-tgid option is on). Records carry only the pid.
/// </summary>
public sealed class TaskNames
{
    /// <summary>What the kernel prints for a pid it has no comm for.</summary>
    public const string Unknown = "<...>";

    /// <summary>What the kernel prints for pid 0.</summary>
    public const string Idle = "<idle>";

    public TaskNames(IReadOnlyDictionary<int, string> commands, IReadOnlyDictionary<int, int>? threadGroups = null)
    {
        Commands = commands;
        ThreadGroups = threadGroups ?? new Dictionary<int, int>();
    }

    public static TaskNames Empty { get; } = new(new Dictionary<int, string>());

    public IReadOnlyDictionary<int, string> Commands { get; }
    public IReadOnlyDictionary<int, int> ThreadGroups { get; }

    public string CommandOf(int pid) => pid == 0 ? Idle : Commands.TryGetValue(pid, out string? comm) ? comm : Unknown;

    public int? ThreadGroupOf(int pid) => ThreadGroups.Count > 0 && ThreadGroups.TryGetValue(pid, out int tgid) && tgid != 0 ? tgid : null;

    /// <summary>Parses saved_cmdlines ("PID COMM" lines; a comm may hold spaces) and, when given, saved_tgids ("PID TGID").</summary>
    public static TaskNames Parse(string savedCmdlines, string? savedTgids = null)
    {
        var commands = new Dictionary<int, string>();
        foreach ((int pid, string rest) in Lines(savedCmdlines))
        {
            commands[pid] = rest;
        }

        var groups = new Dictionary<int, int>();
        if (savedTgids is not null)
        {
            foreach ((int pid, string rest) in Lines(savedTgids))
            {
                if (int.TryParse(rest, NumberStyles.Integer, CultureInfo.InvariantCulture, out int tgid))
                {
                    groups[pid] = tgid;
                }
            }
        }

        return new TaskNames(commands, groups);
    }

    private static IEnumerable<(int Pid, string Text)> Lines(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r', '\0');
            int space = line.IndexOf(' ');
            if (space > 0 && int.TryParse(line.AsSpan(0, space), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
            {
                yield return (pid, line[(space + 1)..]);
            }
        }
    }

    public override string ToString() => $"{Commands.Count} comms, {ThreadGroups.Count} thread groups";
}
