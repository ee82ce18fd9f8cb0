using PSTrace.Core.Formats;
using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// What a watch tool may do while it is being set up: enable events and create probes in its session,
/// each with a kernel filter, the shared command-name filter where the event's task is the record's
/// process, and a say in whether the process filter applies to it.
/// </summary>
public sealed class WatchSetup
{
    private readonly List<string> _details = new();
    private readonly List<string> _warnings = new();
    private readonly HashSet<string> _unscoped = new(StringComparer.Ordinal);

    /// <summary>The probe group of a saved trace's probes (see <see cref="ForSavedTrace"/>).</summary>
    public const string SavedTraceGroup = "pstrace_fixture";

    private readonly int _savedSessionNumber;

    internal WatchSetup(TraceSession? session, WatchFilter filter, EventFormatCatalog catalog, TraceClock clock, int savedSessionNumber = 0)
    {
        Session = session;
        Filter = filter;
        Catalog = catalog;
        Clock = clock;
        _savedSessionNumber = savedSessionNumber;
    }

    /// <summary>
    /// A setup that changes nothing: for reading a saved trace whose events and probes were made the way a
    /// session numbered <paramref name="sessionNumber"/> makes them (probe events "s{N}_name"). The catalog holds
    /// the saved trace's formats; <paramref name="clock"/> gives records their wall-clock Time when the trace says
    /// when its clock was zero (null: no Time).
    /// </summary>
    public static WatchSetup ForSavedTrace(EventFormatCatalog catalog, WatchFilter? filter = null, int sessionNumber = 1, TraceClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessionNumber, 1);
        return new WatchSetup(null, filter ?? WatchFilter.None, catalog, clock ?? TraceClock.Unknown, sessionNumber);
    }

    /// <summary>The live session; null when reading a saved trace.</summary>
    internal TraceSession? Session { get; }

    /// <summary>Whether this kernel has kprobe events (a saved trace: unknown, false).</summary>
    public bool HasKprobes => Session?.Fs.Has("kprobe_events") ?? false;

    public WatchFilter Filter { get; }

    public EventFormatCatalog Catalog { get; }

    public TraceClock Clock { get; }

    /// <summary>What was set up, one line each, for -Verbose.</summary>
    public IReadOnlyList<string> Details => _details;

    /// <summary>What the person watching must be told before the first record (a field this kernel cannot give).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Names of events the process filter must not drop (their task is not the process the record is about).</summary>
    internal IReadOnlySet<string> Unscoped => _unscoped;

    public bool HasEvent(EventId ev) => Session is null ? Catalog.Find(ev.System, ev.Name) is not null : Directory.Exists(Session.Buffer.EventDirectory(ev.System, ev.Name));

    /// <summary>The names of the events of <paramref name="system"/> (syscalls: sys_enter_openat, ...).</summary>
    public IReadOnlyList<string> EventsOf(string system)
    {
        if (Session is null && Catalog.EventsDirectory is null)
        {
            // A trace.dat file's own formats: the events it holds.
            return Catalog.Formats.Where(f => f.System == system).Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        }

        string? dir = Session is null
            ? Path.Combine(Catalog.EventsDirectory!, system)
            : Path.Combine(Session.Buffer.Directory, "events", system);
        return !Directory.Exists(dir)
            ? []
            : Directory.GetDirectories(dir).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Enables every event of <paramref name="system"/> in one write (events/SYSTEM/enable), with one filter for all.</summary>
    public void EnableSystem(string system, string? filter = null, bool byCommand = false)
    {
        Core.Tracefs.InstanceName.Validate(system);
        string? combined = Combine(filter, byCommand ? Filter.KernelCommandFilter() : null);
        if (Session is not null)
        {
            // The instance's removal undoes both; nothing outside it changes.
            if (combined is not null)
            {
                Session.WriteInstanceFile($"events/{system}/filter", combined);
            }

            Session.WriteInstanceFile($"events/{system}/enable", "1");
        }

        _details.Add($"Enabled every event of {system}" + (combined is null ? "." : $" with filter {combined}."));
    }

    /// <param name="filter">The event's own kernel filter, or null.</param>
    /// <param name="byCommand">Also keep only tasks whose comm matches the shared command-name filter (the event's task is the record's process).</param>
    /// <param name="inProcessScope">False when the event's task may be another process than the record's (its events are never dropped by the process filter).</param>
    public void Enable(EventId ev, string? filter = null, bool byCommand = false, bool inProcessScope = true)
    {
        string? combined = Combine(filter, byCommand ? Filter.KernelCommandFilter() : null);
        Session?.EnableEvent(ev, combined);
        Note(ev.Name, inProcessScope);
        _details.Add(combined is null ? $"Enabled {ev}." : $"Enabled {ev} with filter {combined}.");
    }

    /// <summary>Creates a probe of the session (removed at the end) and enables it; returns it as created.</summary>
    public ProbeDefinition AddProbe(ProbeDefinition definition, string eventName, string? filter = null, bool byCommand = false, bool inProcessScope = true)
    {
        string? combined = Combine(filter, byCommand ? Filter.KernelCommandFilter() : null);
        ProbeDefinition created = Session is null
            ? definition.WithName(SavedTraceGroup, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"s{_savedSessionNumber}_{eventName}"))
            : SessionProbe.Add(Session, definition, eventName, combined);
        Note(created.Event, inProcessScope);
        _details.Add($"Created probe {created}" + (combined is null ? "." : $" with filter {combined}."));
        return created;
    }

    /// <summary>Adds a line to what -Verbose shows.</summary>
    public void Detail(string text) => _details.Add(text);

    /// <summary>Says once, as a warning when reading starts, what the tool cannot do here.</summary>
    public void Warn(string text) => _warnings.Add(text);

    internal static string? Combine(string? a, string? b) =>
        a is null ? b : b is null ? a : "(" + a + ") && (" + b + ")";

    private void Note(string eventName, bool inProcessScope)
    {
        if (!inProcessScope)
        {
            _unscoped.Add(eventName);
        }
    }
}
