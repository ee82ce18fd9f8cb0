namespace PSTrace.Core.Tracefs;

/// <summary>An event's state in one buffer: enabled or not, its filter and triggers.</summary>
public sealed class TraceEventState
{
    public TraceEventState(string instance, string fullName, bool enabled, string filter, IReadOnlyList<string> triggers)
    {
        Instance = instance;
        FullName = fullName;
        Enabled = enabled;
        Filter = filter;
        Triggers = triggers;
    }

    /// <summary>The instance name; empty for the top-level buffer.</summary>
    public string Instance { get; }
    public string FullName { get; }
    public bool Enabled { get; }
    public string Filter { get; }
    public IReadOnlyList<string> Triggers { get; }

    /// <summary>The full name, so a state piped to Enable-/Disable-TraceEvent names its event.</summary>
    public override string ToString() => FullName;

    public static TraceEventState Read(TraceBuffer buffer, EventId ev)
    {
        string dir = buffer.EventDirectory(ev.System, ev.Name);
        string triggerPath = Path.Combine(dir, "trigger");
        var triggers = File.Exists(triggerPath)
            ? ControlFile.Read(triggerPath).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#')).ToList()
            : new List<string>();
        return new TraceEventState(buffer.InstanceName ?? "", ev.ToString(), EventControl.IsEnabled(buffer, ev), EventControl.ReadFilter(dir), triggers);
    }
}
