using PSTrace.Core.Processes;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// Finds and removes what PSTrace sessions left behind when their process died without cleaning up
/// (kill -9): instances named pstrace-PID-N and probes in groups pstrace_PID whose PID is gone, and
/// the settings such a session changed outside its instance, put back from its <see cref="SettingsBackup"/>.
/// It only ever touches names PSTrace sessions make, so other tools' state is never at risk. An owner is
/// alive only if its PID runs and started when its record says (<see cref="SessionOwner"/>), so a PID
/// reused by another process, or a session name made by hand, does not keep leftovers forever.
/// </summary>
public static class SessionReaper
{
    /// <param name="includeLive">Also list objects of sessions whose process still runs (Reset-Trace -All).</param>
    public static IReadOnlyList<OrphanedObject> FindOrphans(Tracefs fs, bool includeLive = false)
    {
        var found = new List<OrphanedObject>();
        foreach (DynamicEventEntry probe in DynamicEventEntry.ReadAll(fs))
        {
            if (SessionProbeGroup.OwnerOf(probe.Group) is int pid)
            {
                bool alive = SessionOwner.IsAlive(fs, pid);
                if (!alive || includeLive)
                {
                    found.Add(new OrphanedObject(OrphanKind.Probe, probe.Group + "/" + probe.Name, pid, alive));
                }
            }
        }

        foreach (string session in SettingsBackup.Sessions(fs))
        {
            int pid = InstanceName.OwnerOf(session)!.Value;
            bool alive = SessionOwner.IsAlive(fs, pid);
            if (!alive || includeLive)
            {
                found.Add(new OrphanedObject(OrphanKind.Settings, session, pid, alive));
            }
        }

        foreach (string name in fs.InstanceNames())
        {
            if (InstanceName.OwnerOf(name) is int pid)
            {
                bool alive = SessionOwner.IsAlive(fs, pid);
                if (!alive || includeLive)
                {
                    found.Add(new OrphanedObject(OrphanKind.Instance, name, pid, alive));
                }
            }
        }

        return found;
    }

    /// <summary>Removes the given objects: probes first (disabled everywhere), then settings are put back, then instances go. Returns the failures.</summary>
    public static IReadOnlyList<(OrphanedObject Item, TraceException Error)> Reap(Tracefs fs, IEnumerable<OrphanedObject> items)
    {
        var failures = new List<(OrphanedObject, TraceException)>();
        var probes = DynamicEventEntry.ReadAll(fs).ToDictionary(p => p.Group + "/" + p.Name, StringComparer.Ordinal);
        foreach (OrphanedObject item in items.OrderBy(i => i.Kind switch { OrphanKind.Probe => 0, OrphanKind.Settings => 1, _ => 2 }))
        {
            try
            {
                if (item.Kind == OrphanKind.Probe)
                {
                    if (probes.TryGetValue(item.Name, out DynamicEventEntry? entry))
                    {
                        entry.Remove(fs, force: true);
                    }
                }
                else if (item.Kind == OrphanKind.Settings)
                {
                    foreach (string failure in SettingsBackup.Restore(fs, item.Name))
                    {
                        failures.Add((item, new TraceException(TraceErrorKind.KernelRejected, "SettingNotRestored", failure, null, item.Name)));
                    }
                }
                else if (Directory.Exists(Path.Combine(fs.InstancesDirectory, item.Name)))
                {
                    Instances.Remove(fs, item.Name);
                }
            }
            catch (TraceException e)
            {
                failures.Add((item, e));
            }
        }

        SessionOwner.ForgetDead(fs);
        return failures;
    }
}
