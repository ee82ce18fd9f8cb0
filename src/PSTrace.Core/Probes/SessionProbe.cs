using System.Globalization;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Probes;

/// <summary>
/// Probes a session owns: created in the session's probe group (<see cref="TraceSession.ProbeGroup"/>),
/// enabled only in the session's instance, and removed when the session ends. The journal undoes the
/// enable before the creation, so the probe is disabled in the instance before it is removed (the kernel
/// refuses to remove an enabled probe).
/// </summary>
public static class SessionProbe
{
    /// <summary>
    /// Creates <paramref name="definition"/> under the session's group as <paramref name="eventName"/> made
    /// unique to the session (two sessions of one process share the group), and enables it in the session's
    /// instance with an optional kernel filter. Returns the definition as created.
    /// </summary>
    public static ProbeDefinition Add(TraceSession session, ProbeDefinition definition, string eventName, string? filter = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(definition);
        ProbeDefinition created = definition.WithName(TraceSession.ProbeGroup, EventNameFor(session, eventName));
        string file = ProbeFile(session.Fs, created);
        session.Change(
            $"created probe {created.FullName}",
            () => ControlFile.Write(file, created.ToString(), append: true, session.Fs.TopLevel.ErrorLogPath),
            () => ControlFile.Write(file, created.Removal().ToString(), append: true, session.Fs.TopLevel.ErrorLogPath));
        session.EnableEvent(new EventId(created.Group, created.Event), filter);
        return created;
    }

    /// <summary>"s{N}_{name}": N is the session's number in its process, so sessions side by side never collide.</summary>
    public static string EventNameFor(TraceSession session, string eventName)
    {
        ArgumentNullException.ThrowIfNull(session);
        string name = session.Name;
        string sequence = name[(name.LastIndexOf('-') + 1)..];
        return string.Create(CultureInfo.InvariantCulture, $"s{sequence}_{eventName}");
    }

    private static string ProbeFile(Tracefs.Tracefs fs, ProbeDefinition definition)
    {
        string file = definition.Kind.IsKernel() ? "kprobe_events" : "uprobe_events";
        if (!fs.Has(file))
        {
            throw new TraceException(TraceErrorKind.NotSupported, definition.Kind.IsKernel() ? "KprobesNotSupported" : "UprobesNotSupported",
                $"This kernel has no {file}: it was built without {(definition.Kind.IsKernel() ? "CONFIG_KPROBE_EVENTS" : "CONFIG_UPROBE_EVENTS")}.",
                "Get-TraceCapability shows what this kernel can trace.", definition.ToString());
        }

        return fs.PathOf(file);
    }
}
