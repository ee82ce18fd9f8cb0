namespace PSTrace.Core.Tracefs;

/// <summary>A tracefs instance as a snapshot: its name, state and, for a session's instance, its owner.</summary>
public sealed class TraceInstance
{
    public TraceInstance(string name, string path, string tracer, bool tracingOn, int bufferSizeKb, IReadOnlyList<string> enabledEvents, int? ownerProcessId, bool? ownerAlive)
    {
        Name = name;
        Path = path;
        Tracer = tracer;
        TracingOn = tracingOn;
        BufferSizeKb = bufferSizeKb;
        EnabledEvents = enabledEvents;
        OwnerProcessId = ownerProcessId;
        OwnerAlive = ownerAlive;
    }

    public string Name { get; }
    public string Path { get; }
    public string Tracer { get; }
    public bool TracingOn { get; }

    /// <summary>Per-CPU buffer size.</summary>
    public int BufferSizeKb { get; }

    /// <summary>Enabled events as system:event (the instance's set_event).</summary>
    public IReadOnlyList<string> EnabledEvents { get; }

    /// <summary>The PSTrace process that made the instance for a session; null for instances made any other way.</summary>
    public int? OwnerProcessId { get; }

    /// <summary>Whether the owning process still runs; null when there is no owner. A dead owner means Reset-Trace will reap it.</summary>
    public bool? OwnerAlive { get; }

    public bool IsOrphaned => OwnerAlive == false;

    public override string ToString() => Name;
}
