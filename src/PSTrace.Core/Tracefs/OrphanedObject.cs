namespace PSTrace.Core.Tracefs;

public enum OrphanKind
{
    Instance,
    Probe,

    /// <summary>Settings outside a session's instance whose old values it kept (<see cref="SettingsBackup"/>).</summary>
    Settings,
}

/// <summary>Something a PSTrace session made whose owning process is gone (or, with -All, any session's).</summary>
public sealed record OrphanedObject(OrphanKind Kind, string Name, int OwnerProcessId, bool OwnerAlive)
{
    public override string ToString() => $"{Kind} {Name} (owner {OwnerProcessId}{(OwnerAlive ? ", running" : ", gone")})";
}
