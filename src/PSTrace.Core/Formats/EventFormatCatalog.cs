namespace PSTrace.Core.Formats;

/// <summary>
/// Event formats by name and by id: read lazily from a tracefs events directory (or a copy of one laid
/// out the same way, SYSTEM/EVENT/format), or held in memory (the formats a trace.dat file stores).
/// The text reader looks events up by name, the binary decoders by id (a record's common_type).
/// Safe to share between threads.
/// </summary>
/// <remarks>
/// Trace text prints an event's name without its system, so <see cref="Find(string)"/> looks a name up
/// across systems and answers only when one system has it. A directory's list of events is read at the
/// first lookup; call <see cref="Refresh"/> after creating events (probes) that should be found.
/// <see cref="FindById"/> answers from the formats read so far and reads the rest only for an id it
/// does not know yet, so a live reader that looked up the events it enabled reads nothing more.
/// </remarks>
public sealed class EventFormatCatalog
{
    private readonly object _gate = new();
    private readonly string? _directory;
    private readonly Dictionary<string, List<string>> _systemsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string System, string Name), EventFormat?> _formats = new();
    private readonly Dictionary<int, EventFormat> _byId = new();
    private readonly List<EventFormat> _inMemory = new();
    private readonly List<string> _failures = new();
    private CommonFieldOffsets? _common;
    private bool _indexed;
    private bool _allRead;

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

    /// <summary>A catalog of formats already parsed (from trace.dat, or built by hand). On a repeated id the first format wins.</summary>
    /// <param name="parseFailures">Formats the caller could not parse ("system: reason"), kept for <see cref="ParseFailures"/>.</param>
    public static EventFormatCatalog FromFormats(IEnumerable<EventFormat> formats, IEnumerable<string>? parseFailures = null)
    {
        ArgumentNullException.ThrowIfNull(formats);
        var catalog = new EventFormatCatalog(null) { _indexed = true, _allRead = true };
        foreach (EventFormat f in formats)
        {
            catalog._inMemory.Add(f);
            catalog._formats.TryAdd((f.System, f.Name), f);
            catalog._byId.TryAdd(f.Id, f);
            catalog.AddName(f.System, f.Name);
        }

        catalog._failures.AddRange(parseFailures ?? []);
        return catalog;
    }

    /// <summary>Every format: in the order given for an in-memory catalog; by system and name for a directory (reads them all).</summary>
    public IReadOnlyList<EventFormat> Formats
    {
        get
        {
            lock (_gate)
            {
                if (_directory is null)
                {
                    return _inMemory.AsReadOnly();
                }

                ReadAllLocked();
                return _formats.Where(kv => kv.Value is not null)
                    .OrderBy(kv => kv.Key.System, StringComparer.Ordinal).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
                    .Select(kv => kv.Value!).ToArray();
            }
        }
    }

    /// <summary>Format files that could not be parsed ("system/event: reason"), as far as they have been read; their events are unknown.</summary>
    public IReadOnlyList<string> ParseFailures
    {
        get
        {
            lock (_gate)
            {
                return _failures.ToArray();
            }
        }
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

    /// <summary>
    /// The format whose ID (the common_type of binary records) is <paramref name="id"/>. An id not among
    /// the formats read so far makes the catalog read every format once (again after <see cref="Refresh"/>).
    /// </summary>
    public EventFormat? FindById(int id)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out EventFormat? format) && !_allRead)
            {
                ReadAllLocked();
                format = _byId.GetValueOrDefault(id);
            }

            return format;
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
            _allRead = false;
            _systemsByName.Clear();
            foreach (KeyValuePair<(string System, string Name), EventFormat?> kv in _formats.Where(kv => kv.Value is null).ToList())
            {
                _formats.Remove(kv.Key);
            }
        }
    }

    /// <summary>Where the common_* fields sit in every record: the same for all events of a kernel, so any one format tells.</summary>
    internal CommonFieldOffsets CommonFields
    {
        get
        {
            lock (_gate)
            {
                return _common ??= FindCommonFieldsLocked();
            }
        }
    }

    private CommonFieldOffsets FindCommonFieldsLocked()
    {
        if (_formats.Values.FirstOrDefault(f => f is { CommonFields.Count: > 0 }) is { } known)
        {
            return CommonFieldOffsets.From(known);
        }

        EnsureIndexed();
        foreach ((string name, List<string> systems) in _systemsByName)
        {
            foreach (string system in systems)
            {
                if (LoadLocked(system, name) is { CommonFields.Count: > 0 } f)
                {
                    return CommonFieldOffsets.From(f);
                }
            }
        }

        return CommonFieldOffsets.Default;
    }

    private void ReadAllLocked()
    {
        if (_allRead)
        {
            return;
        }

        EnsureIndexed();
        foreach ((string name, List<string> systems) in _systemsByName)
        {
            foreach (string system in systems)
            {
                LoadLocked(system, name);
            }
        }

        _allRead = true;
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
                _byId.TryAdd(format.Id, format);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Missing or unreadable: the event is unknown here, as if absent.
                format = null;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
            {
                // Not a format the parser understands: unknown too, but said.
                _failures.Add($"{system}/{name}: {e.Message}");
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
            return Directory.GetDirectories(directory).Order(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public override string ToString() => _directory ?? $"{_inMemory.Count} event formats";
}
