using System.Globalization;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// What a trace.dat file says besides its pages: the page and event headers, the event formats,
/// kallsyms, printk formats, the saved cmdlines, the CPU count and a few options. Read from a live
/// tracefs with <see cref="FromTracefs"/>, written by <see cref="TraceDatWriter"/>.
/// </summary>
public sealed class TraceDatContents
{
    public required string HeaderPage { get; init; }
    public required string HeaderEvent { get; init; }

    /// <summary>The ftrace system's format files (trace-cmd always stores all of them).</summary>
    public required IReadOnlyList<string> FtraceFormats { get; init; }

    /// <summary>Format files by system, for the events the trace may hold.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> EventFormats { get; init; }

    /// <summary>/proc/kallsyms, or "" when left out.</summary>
    public string Kallsyms { get; init; } = "";

    /// <summary>printk_formats.</summary>
    public string Printk { get; init; } = "";

    /// <summary>saved_cmdlines: "PID COMM" lines.</summary>
    public string Cmdlines { get; init; } = "";

    /// <summary>saved_tgids: "PID TGID" lines (PSTrace's own option); "" to leave it out.</summary>
    public string SavedTgids { get; init; } = "";

    /// <summary>When the trace clock was zero, in nanoseconds since the Unix epoch (PSTrace's own option); null to leave it out.</summary>
    public long? ClockEpochNanoseconds { get; init; }

    /// <summary>CPUs of the traced machine (the highest CPU number plus one).</summary>
    public required int Cpus { get; init; }

    /// <summary>The traced machine's page size (the ring buffer's default page).</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>The UNAME option ("Linux host release version machine"); null to leave it out.</summary>
    public string? Uname { get; init; }

    /// <summary>The trace_clock file's text ("[local] global ..."); null to leave the TRACECLOCK option out.</summary>
    public string? TraceClock { get; init; }

    /// <summary>Each CPU's per_cpu/cpuN/stats text, prefixed "CPU: N", as trace-cmd stores them (CPUSTAT options).</summary>
    public IReadOnlyList<string> CpuStats { get; init; } = [];

    /// <summary>
    /// Reads what a trace of <paramref name="buffer"/> needs: its header_page (and page size), the
    /// ftrace formats, the formats of <paramref name="events"/>, kallsyms (when <paramref name="kallsyms"/>),
    /// printk formats, saved_cmdlines, trace_clock and per-CPU stats.
    /// </summary>
    /// <param name="events">The events whose formats to store: those enabled and those seen.</param>
    /// <param name="clockEpochNanoseconds">When the buffer's trace clock was zero (nanoseconds since the Unix epoch), if known.</param>
    public static TraceDatContents FromTracefs(TraceBuffer buffer, IEnumerable<EventId> events, int pageSize, bool kallsyms = true, long? clockEpochNanoseconds = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(events);
        string root = buffer.TracefsRoot;
        string eventsDir = Path.Combine(root, "events");
        var formats = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (EventId ev in events.Where(e => e.System != "ftrace").Distinct().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (TryRead(Path.Combine(eventsDir, ev.System, ev.Name, "format")) is { } text)
            {
                if (!formats.TryGetValue(ev.System, out List<string>? list))
                {
                    formats[ev.System] = list = new List<string>();
                }

                list.Add(text);
            }
        }

        string ftraceDir = Path.Combine(eventsDir, "ftrace");
        List<string> ftrace = Directory.Exists(ftraceDir)
            ? Directory.EnumerateDirectories(ftraceDir).Order(StringComparer.Ordinal)
                .Select(d => TryRead(Path.Combine(d, "format"))).OfType<string>().ToList()
            : [];

        IReadOnlyList<int> cpus = buffer.Cpus();
        return new TraceDatContents
        {
            HeaderPage = TryRead(buffer.PathOf("events/header_page")) ?? ControlFile.Read(Path.Combine(eventsDir, "header_page")),
            HeaderEvent = TryRead(buffer.PathOf("events/header_event")) ?? ControlFile.Read(Path.Combine(eventsDir, "header_event")),
            FtraceFormats = ftrace,
            EventFormats = formats.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal),
            Kallsyms = kallsyms ? TryRead("/proc/kallsyms") ?? "" : "",
            Printk = TryRead(Path.Combine(root, "printk_formats")) ?? "",
            Cmdlines = TryRead(Path.Combine(root, "saved_cmdlines")) ?? "",
            SavedTgids = TryRead(Path.Combine(root, "saved_tgids")) ?? "",
            ClockEpochNanoseconds = clockEpochNanoseconds,
            Cpus = cpus.Count == 0 ? Environment.ProcessorCount : cpus[^1] + 1,
            PageSize = pageSize,
            Uname = ReadUname(),
            TraceClock = TryRead(buffer.PathOf("trace_clock"))?.Trim(),
            CpuStats = cpus.Select(c => TryRead(buffer.PathOf($"per_cpu/cpu{c}/stats")) is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"CPU: {c}\n{s}") : null).OfType<string>().ToList(),
        };
    }

    private static string? ReadUname()
    {
        string? release = TryRead("/proc/sys/kernel/osrelease")?.Trim();
        string? version = TryRead("/proc/sys/kernel/version")?.Trim();
        string? host = TryRead("/proc/sys/kernel/hostname")?.Trim();
        return release is null ? null : $"Linux {host} {release} {version} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch { System.Runtime.InteropServices.Architecture.X64 => "x86_64", System.Runtime.InteropServices.Architecture.Arm64 => "aarch64", var a => a.ToString().ToLowerInvariant() }}";
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
