namespace PSTrace.Core.Tracefs;

/// <summary>A mounted tracefs: its root, its top-level buffer and its instances.</summary>
public sealed class Tracefs
{
    /// <summary>Where sessions keep the old values of settings they change outside their instance, when not <see cref="DefaultStateDirectory"/>.</summary>
    public const string StateDirectoryVariable = "PSTRACE_STATE_DIR";

    /// <summary>On tmpfs: a reboot resets the kernel's settings and clears what was kept for them.</summary>
    public const string DefaultStateDirectory = "/run/pstrace";

    private Tracefs(string root, string? stateDirectory)
    {
        Root = root;
        TopLevel = new TraceBuffer(root, null);
        StateDirectory = stateDirectory
            ?? (Environment.GetEnvironmentVariable(StateDirectoryVariable) is { Length: > 0 } configured ? configured : DefaultStateDirectory);
    }

    public string Root { get; }

    /// <summary>The directory of <see cref="SettingsBackup"/> files.</summary>
    public string StateDirectory { get; }

    public TraceBuffer TopLevel { get; }

    /// <summary>Locates (and if needed mounts) tracefs.</summary>
    public static Tracefs Open(bool mount = true) => new(TracefsLocator.Locate(mount), null);

    /// <summary>Uses a given directory as tracefs (tests, or a user who knows better), and optionally another state directory.</summary>
    public static Tracefs At(string root, string? stateDirectory = null) => new(root, stateDirectory);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public bool Has(string relative) => File.Exists(PathOf(relative)) || System.IO.Directory.Exists(PathOf(relative));

    public string InstancesDirectory => PathOf("instances");

    public TraceBuffer Buffer(string? instanceName) => instanceName is null or "" ? TopLevel : new TraceBuffer(Root, instanceName);

    public IEnumerable<string> InstanceNames()
    {
        if (!System.IO.Directory.Exists(InstancesDirectory))
        {
            return Array.Empty<string>();
        }

        return System.IO.Directory.EnumerateDirectories(InstancesDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
    }
}
