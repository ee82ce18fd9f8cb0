namespace PSTrace.Core.Formats;

/// <summary>
/// Event formats by name: read lazily from a tracefs events directory (or a copy of one laid out the
/// same way, SYSTEM/EVENT/format), or held in memory. Safe to share between threads.
/// </summary>
/// <remarks>
/// Trace text prints an event's name without its system, so <see cref="Find(string)"/> looks a name up
/// across systems and answers only when one system has it. A directory's list of events is read at the
/// first lookup; call <see cref="Refresh"/> after creating events (probes) that should be found.
/// </remarks>
public sealed class EventFormatCatalog
{
    private readonly object _gate = new();
    private readonly string? _directory;
    private readonly Dictionary<string, List<string>> _systemsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string System, string Name), EventFormat?> _formats = new();
    private Dictionary<int, EventFormat>? _byId;
    private bool _indexed;

    private EventFormatCatalog(string? directory) => _directory = directory;

    /// <summary>The events directory the catalog reads; null for an in-memory catalog.</summary>
    public string? EventsDirectory => _directory;

    /// <summary>A catalog over an events directory such as /sys/kernel/tracing/events; nothing is read yet.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static EventFormatCatalog Load(string eventsDirectory)
    {
        ArgumentNullException.ThrowIfNull(eventsDirectory);
        if (!Directory.Exists(eventsDirectory))
        {
            throw new DirectoryNotFoundException($"No events directory at '{eventsDirectory}'.");
        }

        return new EventFormatCatalog(Path.GetFullPath(eventsDirectory));
    }

    /// <summary>A catalog of formats already parsed (from trace.dat, or built by hand).</summary>
    public static EventFormatCatalog FromFormats(IEnumerable<EventFormat> formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        var catalog = new EventFormatCatalog(null) { _indexed = true };
        foreach (EventFormat f in formats)
        {
            catalog._formats[(f.System, f.Name)] = f;
            catalog.AddName(f.System, f.Name);
        }

        return catalog;
    }

    /// <summary>The format of the event of this name when exactly one system has it; else null.</summary>
    public EventFormat? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            EnsureIndexed();
            return _systemsByName.TryGetValue(name, out List<string>? systems) && systems.Count == 1
                ? LoadLocked(systems[0], name)
                : null;
        }
    }

    /// <summary>The format of SYSTEM:NAME; null when there is none or it cannot be read.</summary>
    public EventFormat? Find(string system, string name)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            return LoadLocked(system, name);
        }
    }

    /// <summary>The format whose ID (the common_type of binary records) is <paramref name="id"/>; reads every format on first use.</summary>
    public EventFormat? FindById(int id)
    {
        lock (_gate)
        {
            if (_byId is null)
            {
                EnsureIndexed();
                _byId = [];
                foreach ((string name, List<string> systems) in _systemsByName)
                {
                    foreach (string system in systems)
                    {
                        if (LoadLocked(system, name) is { } f)
                        {
                            _byId.TryAdd(f.Id, f);
                        }
                    }
                }
            }

            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Reads the directory's list of events again (formats already read are kept).</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            if (_directory is null)
            {
                return;
            }

            _indexed = false;
            _byId = null;
            _systemsByName.Clear();
            foreach (KeyValuePair<(string System, string Name), EventFormat?> kv in _formats.Where(kv => kv.Value is null).ToList())
            {
                _formats.Remove(kv.Key);
            }
        }
    }

    private void EnsureIndexed()
    {
        if (_indexed || _directory is null)
        {
            return;
        }

        foreach (string systemDir in SafeDirectories(_directory))
        {
            string system = Path.GetFileName(systemDir);
            foreach (string eventDir in SafeDirectories(systemDir))
            {
                AddName(system, Path.GetFileName(eventDir));
            }
        }

        _indexed = true;
    }

    private void AddName(string system, string name)
    {
        if (!_systemsByName.TryGetValue(name, out List<string>? systems))
        {
            _systemsByName[name] = systems = new List<string>(1);
        }

        if (!systems.Contains(system))
        {
            systems.Add(system);
        }
    }

    private EventFormat? LoadLocked(string system, string name)
    {
        if (_formats.TryGetValue((system, name), out EventFormat? known))
        {
            return known;
        }

        EventFormat? format = null;
        if (_directory is not null)
        {
            string path = Path.Combine(_directory, system, name, "format");
            try
            {
                format = EventFormatParser.Parse(File.ReadAllText(path), system);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
            {
                // Missing, unreadable or not a format: the event is unknown here, as if absent.
                format = null;
            }
        }

        _formats[(system, name)] = format;
        return format;
    }

    private static IEnumerable<string> SafeDirectories(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
