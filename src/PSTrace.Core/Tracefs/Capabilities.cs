using System.Globalization;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// The capability probe: what this kernel and this user can trace, checked by looking and, for
/// tracers, by trying (a tracer can be listed yet refuse to start, as `function` does under lockdown).
/// Tracers are tried in a throwaway session instance, never in the top-level buffer.
/// </summary>
public static class Capabilities
{
    /// <summary>Tracers the kernel can have, with the config option that builds each.</summary>
    private static readonly (string Tracer, string Config)[] KnownTracers =
    {
        ("function", "CONFIG_FUNCTION_TRACER"),
        ("function_graph", "CONFIG_FUNCTION_GRAPH_TRACER"),
        ("irqsoff", "CONFIG_IRQSOFF_TRACER"),
        ("preemptoff", "CONFIG_PREEMPT_TRACER"),
        ("preemptirqsoff", "CONFIG_IRQSOFF_TRACER and CONFIG_PREEMPT_TRACER"),
        ("wakeup", "CONFIG_SCHED_TRACER"),
        ("wakeup_rt", "CONFIG_SCHED_TRACER"),
        ("wakeup_dl", "CONFIG_SCHED_TRACER"),
        ("blk", "CONFIG_BLK_DEV_IO_TRACE"),
        ("hwlat", "CONFIG_HWLAT_TRACER"),
        ("osnoise", "CONFIG_OSNOISE_TRACER"),
        ("timerlat", "CONFIG_TIMERLAT_TRACER"),
        ("mmiotrace", "CONFIG_MMIOTRACE"),
    };

    /// <summary>Tracers that only the top-level buffer takes; trying them would disturb it.</summary>
    private static readonly HashSet<string> TopLevelOnly = new(StringComparer.Ordinal) { "blk", "mmiotrace", "hwlat", "osnoise", "timerlat" };

    public static IReadOnlyList<TraceFeature> Probe(bool tryTracers = true)
    {
        var features = new List<TraceFeature>();
        bool root = Prerequisites.IsRoot;
        features.Add(new TraceFeature("Root", root, root ? "running as root" : "not root", root ? null : Prerequisites.RootFix));

        Tracefs fs;
        try
        {
            fs = Tracefs.Open(mount: root);
        }
        catch (TraceException e)
        {
            features.Add(new TraceFeature("Tracefs", false, e.Message, e.Fix));
            return features;
        }

        features.Add(new TraceFeature("Tracefs", true, fs.Root));
        features.AddRange(Kernel(fs));
        features.AddRange(Tracers(fs, tryTracers && root));
        return features;
    }

    /// <summary>Throws a NotSupported TraceException carrying the feature's reason when it is missing.</summary>
    public static void Require(Tracefs fs, string feature)
    {
        TraceFeature? f = Kernel(fs).Concat(Tracers(fs, tryStart: true)).FirstOrDefault(x => x.Name == feature);
        if (f is null || !f.Available)
        {
            throw new TraceException(TraceErrorKind.NotSupported, feature + "NotSupported",
                $"{feature} is not available on this kernel: {f?.Detail ?? "unknown feature"}.", f?.Fix, feature);
        }
    }

    private static IEnumerable<TraceFeature> Kernel(Tracefs fs)
    {
        int events = 0;
        try
        {
            events = ControlFile.Read(fs.PathOf("available_events")).Count(c => c == '\n');
        }
        catch (TraceException)
        {
        }

        yield return new TraceFeature("Tracepoints", events > 0, events.ToString(CultureInfo.InvariantCulture) + " events", events > 0 ? null : "The kernel needs CONFIG_EVENT_TRACING, and reading available_events needs root.");
        bool syscalls = Directory.Exists(fs.PathOf("events/syscalls"));
        yield return new TraceFeature("SyscallEvents", syscalls, syscalls ? "events/syscalls" : "no events/syscalls: the kernel was built without CONFIG_FTRACE_SYSCALLS", syscalls ? null : "raw_syscalls:sys_enter/sys_exit may still work.");
        bool instances = Directory.Exists(fs.InstancesDirectory);
        yield return new TraceFeature("Instances", instances, instances ? fs.InstancesDirectory : "no instances directory (kernel too old)", null);
        bool kprobes = File.Exists(fs.PathOf("kprobe_events"));
        yield return new TraceFeature("Kprobes", kprobes,
            kprobes ? "kprobe_events" : "no kprobe_events: the kernel was built without CONFIG_KPROBES (or CONFIG_KPROBE_EVENTS)",
            kprobes ? null : "Kernel functions cannot be probed here. Uprobes (New-Uprobe) and tracepoints (Get-TraceEventType) still work.");
        bool uprobes = File.Exists(fs.PathOf("uprobe_events"));
        yield return new TraceFeature("Uprobes", uprobes,
            uprobes ? "uprobe_events" : "no uprobe_events: the kernel was built without CONFIG_UPROBE_EVENTS",
            uprobes ? null : "Tracepoints still work.");
        bool dynamic = File.Exists(fs.PathOf("dynamic_events"));
        yield return new TraceFeature("DynamicEvents", dynamic, dynamic ? "dynamic_events" : "no dynamic_events (kernel older than 5.5)", null);
    }

    private static IEnumerable<TraceFeature> Tracers(Tracefs fs, bool tryStart)
    {
        HashSet<string> listed;
        try
        {
            listed = ControlFile.Read(fs.PathOf("available_tracers")).Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        }
        catch (TraceException)
        {
            yield break;
        }

        Dictionary<string, string> refused = tryStart ? TryStartTracers(fs, listed.Where(t => t != "nop" && !TopLevelOnly.Contains(t))) : new();
        foreach ((string tracer, string config) in KnownTracers)
        {
            string name = "Tracer:" + tracer;
            if (!listed.Contains(tracer))
            {
                yield return new TraceFeature(name, false, $"not built in ({config})", AlternativeFor(tracer));
            }
            else if (refused.TryGetValue(tracer, out string? why))
            {
                yield return new TraceFeature(name, false, $"listed, but the kernel refused to start it: {why}", AlternativeFor(tracer));
            }
            else
            {
                string detail = TopLevelOnly.Contains(tracer) ? "listed; runs in the top-level buffer only (not started to check)" : tryStart ? "starts" : "listed (not started to check)";
                yield return new TraceFeature(name, true, detail);
            }
        }
    }

    /// <summary>Tries each tracer in a throwaway session instance and returns those refused, with the kernel's answer.</summary>
    private static Dictionary<string, string> TryStartTracers(Tracefs fs, IEnumerable<string> tracers)
    {
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        TraceSession session;
        try
        {
            session = TraceSession.Start(fs, reapOrphans: false);
        }
        catch (TraceException)
        {
            return refused;
        }

        using (session)
        {
            foreach (string tracer in tracers)
            {
                try
                {
                    // tracing_on off first: a probe must not record anything.
                    session.WriteInstanceFile("tracing_on", "0");
                    session.WriteInstanceFile("current_tracer", tracer);
                    session.WriteInstanceFile("current_tracer", "nop");
                }
                catch (KernelRejectedException e)
                {
                    refused[tracer] = e.ErrnoText + (e.Errno == Native.Errno.EPERM ? " (kernel lockdown, or not permitted for this user)" : "");
                }
            }
        }

        return refused;
    }

    private static string? AlternativeFor(string tracer) => tracer switch
    {
        "function" or "function_graph" => "Use tracepoints (Get-TraceEventType) or uprobes instead, or boot a kernel built with CONFIG_FUNCTION_TRACER and CONFIG_FUNCTION_GRAPH_TRACER and not in lockdown.",
        _ => null,
    };
}
