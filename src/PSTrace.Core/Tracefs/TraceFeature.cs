namespace PSTrace.Core.Tracefs;

/// <summary>One thing tracing may need, whether this kernel and this user have it, and if not, why and what to do.</summary>
public sealed class TraceFeature
{
    public TraceFeature(string name, bool available, string detail, string? fix = null)
    {
        Name = name;
        Available = available;
        Detail = detail;
        Fix = fix;
    }

    public string Name { get; }
    public bool Available { get; }

    /// <summary>What was found: a path, a count, or the reason it is missing.</summary>
    public string Detail { get; }

    /// <summary>What to do when it is missing; null when nothing can be done or nothing needs doing.</summary>
    public string? Fix { get; }

    public override string ToString() => $"{Name}: {(Available ? "yes" : "no")} ({Detail})";
}
