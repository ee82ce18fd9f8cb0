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

    /// <summary>
    /// Throws a NotSupported TraceException carrying the feature's reason and fix when it is missing.
    /// For a tracer ("Tracer:NAME") only that tracer is tried.
    /// </summary>
    public static void Require(Tracefs fs, string feature)
    {
        string? tracer = feature.StartsWith(TracerPrefix, StringComparison.Ordinal) ? feature[TracerPrefix.Length..] : null;
        IEnumerable<TraceFeature> candidates = tracer is null ? Kernel(fs) : Tracers(fs, tryStart: true, only: tracer);
        TraceFeature? f = candidates.FirstOrDefault(x => x.Name == feature);
        if (f is null || !f.Available)
        {
            string what = tracer is null ? feature : $"The {tracer} tracer";
            throw new TraceException(TraceErrorKind.NotSupported, ErrorIdFor(feature),
                $"{what} is not available on this kernel: {f?.Detail ?? "unknown feature"}.", f?.Fix, feature);
        }
    }

    private const string TracerPrefix = "Tracer:";

    /// <summary>"Tracer:function_graph" -> "FunctionGraphTracerNotSupported": an ErrorId without punctuation.</summary>
    internal static string ErrorIdFor(string feature)
    {
        bool tracer = feature.StartsWith(TracerPrefix, StringComparison.Ordinal);
        string name = tracer ? feature[TracerPrefix.Length..] : feature;
        string pascal = string.Concat(name.Split('_', '-', ':').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return pascal + (tracer ? "Tracer" : "") + "NotSupported";
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

    private static IEnumerable<TraceFeature> Tracers(Tracefs fs, bool tryStart, string? only = null)
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

        IEnumerable<string> toTry = listed.Where(t => t != "nop" && !TopLevelOnly.Contains(t) && (only is null || t == only));
        (Dictionary<string, string> refused, HashSet<string> notInInstances) = tryStart ? TryStartTracers(fs, toTry) : (new(), new());
        foreach ((string tracer, string config) in KnownTracers.Where(k => only is null || k.Tracer == only))
        {
            string name = TracerPrefix + tracer;
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
                string detail = TopLevelOnly.Contains(tracer) || notInInstances.Contains(tracer)
                    ? "listed; runs in the top-level buffer only (not started to check)"
                    : tryStart ? "starts" : "listed (not started to check)";
                yield return new TraceFeature(name, true, detail);
            }
        }
    }

    /// <summary>
    /// Tries each tracer in a throwaway session instance; returns those refused, with the kernel's answer,
    /// and those an instance does not offer (older kernels run function_graph in the top-level buffer only).
    /// </summary>
    private static (Dictionary<string, string> Refused, HashSet<string> NotInInstances) TryStartTracers(Tracefs fs, IEnumerable<string> tracers)
    {
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var notInInstances = new HashSet<string>(StringComparer.Ordinal);
        TraceSession session;
        try
        {
            session = TraceSession.Start(fs, reapOrphans: false);
        }
        catch (TraceException)
        {
            return (refused, notInInstances);
        }

        using (session)
        {
            HashSet<string> offered = ListedIn(session.Buffer);
            NarrowFunctionFilter(fs, session);
            foreach (string tracer in tracers)
            {
                if (!offered.Contains(tracer))
                {
                    notInInstances.Add(tracer);
                    continue;
                }

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

        return (refused, notInInstances);
    }

    private static HashSet<string> ListedIn(TraceBuffer buffer)
    {
        try
        {
            return buffer.Read("available_tracers").Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        }
        catch (TraceException)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Starting the function tracer with no filter patches every traceable function in the kernel, which
    /// takes seconds on a slow machine: the throwaway instance traces one function instead. Best effort:
    /// where the filter cannot be read or written, the tracer would be refused anyway.
    /// </summary>
    private static void NarrowFunctionFilter(Tracefs fs, TraceSession session)
    {
        try
        {
            using var reader = new StreamReader(fs.PathOf("available_filter_functions"));
            string? first = reader.ReadLine()?.Split(' ', '\t')[0];
            if (!string.IsNullOrEmpty(first) && File.Exists(session.Buffer.PathOf("set_ftrace_filter")))
            {
                session.WriteInstanceFile("set_ftrace_filter", first);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TraceException)
        {
        }
    }

    private static string? AlternativeFor(string tracer) => tracer switch
    {
        "function" or "function_graph" => "Use tracepoints (Get-TraceEventType) or uprobes instead, or boot a kernel built with CONFIG_FUNCTION_TRACER and CONFIG_FUNCTION_GRAPH_TRACER and not in lockdown.",
        "irqsoff" or "preemptoff" or "preemptirqsoff" => "Boot a kernel built with CONFIG_IRQSOFF_TRACER (irqsoff) and CONFIG_PREEMPT_TRACER (preemptoff); both for preemptirqsoff. "
            + "Where the kernel has CONFIG_PREEMPTIRQ_EVENTS, the preemptirq:irq_disable and preemptirq:irq_enable tracepoints show the same sections (Get-TraceEventType -Name 'preemptirq:*').",
        "wakeup" or "wakeup_rt" or "wakeup_dl" => "Boot a kernel built with CONFIG_SCHED_TRACER. Meanwhile the sched:sched_waking and sched:sched_switch tracepoints give each wakeup's latency "
            + "(Get-TraceEvent -Name sched:sched_waking, sched:sched_switch: the time from a task's waking to the switch to it).",
        _ => null,
    };
}
