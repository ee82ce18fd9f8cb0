namespace PSTrace.Core.Tools.Exec;

/// <summary>
/// What the libc execve probes read on one thread before the exec: the path, and argv one slot per event
/// (each slot's pointer and string). argv ends at the first null pointer; a slot event that is missing
/// (lost) ends what is known.
/// </summary>
internal sealed class PendingExec
{
    public PendingExec(ulong argv, int slots)
    {
        Argv = argv;
        Pointers = new ulong?[slots];
        Strings = new string?[slots];
    }

    /// <summary>The argv pointer passed to execve, which ties slot events to this call.</summary>
    public ulong Argv { get; }

    /// <summary>The path execve was given; null when the probe could not read it.</summary>
    public string? Path { get; set; }

    /// <summary>argv[slots]: not null when there were more arguments than slots.</summary>
    public ulong? More { get; set; }

    public ulong?[] Pointers { get; }

    public string?[] Strings { get; }

    /// <summary>argv as far as it is known, and whether it goes on beyond what was read.</summary>
    public (IReadOnlyList<string?> Arguments, bool Truncated) Arguments()
    {
        var args = new List<string?>();
        for (int k = 0; k < Pointers.Length; k++)
        {
            switch (Pointers[k])
            {
                case null:
                    return (args, true);
                case 0:
                    return (args, false);
                default:
                    args.Add(Strings[k]);
                    break;
            }
        }

        return (args, More is not 0);
    }
}
