namespace PSTrace.Core.Tracefs;

/// <summary>A mounted tracefs: its root, its top-level buffer and its instances.</summary>
public sealed class Tracefs
{
    private Tracefs(string root)
    {
        Root = root;
        TopLevel = new TraceBuffer(root, null);
    }

    public string Root { get; }

    public TraceBuffer TopLevel { get; }

    /// <summary>Locates (and if needed mounts) tracefs.</summary>
    public static Tracefs Open(bool mount = true) => new(TracefsLocator.Locate(mount));

    /// <summary>Uses a given directory as tracefs (tests, or a user who knows better).</summary>
    public static Tracefs At(string root) => new(root);

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
