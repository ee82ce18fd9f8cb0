using PSTrace.Core.Formats;

namespace PSTrace.Core.Binary;

/// <summary>
/// The event formats a trace can contain, by id (a record's common_type), each prepared for decoding.
/// Built from a tracefs events directory or from the formats stored in a trace.dat file.
/// </summary>
public sealed class EventCatalog
{
    private readonly Dictionary<int, EventFormat> _byId = new();
    private readonly Dictionary<string, EventFormat> _byName = new(StringComparer.Ordinal);

    // Formats are prepared for decoding on first use (a trace.dat holds thousands, a trace uses a few),
    // and found by id through an array: this lookup happens once per record.
    private volatile CompiledFormat?[] _compiled = [];

    public EventCatalog(IEnumerable<EventFormat> formats, IReadOnlyList<string>? parseFailures = null)
    {
        var list = new List<EventFormat>();
        foreach (EventFormat f in formats)
        {
            if (_byId.TryAdd(f.Id, f))
            {
                list.Add(f);
                _byName.TryAdd(f.FullName, f);
            }
        }

        Formats = list;
        ParseFailures = parseFailures ?? [];
        FieldOffsets = CommonFieldOffsets.From(list);
    }

    public IReadOnlyList<EventFormat> Formats { get; }

    /// <summary>Format files that could not be parsed ("system/event: reason"); their events decode as unknown.</summary>
    public IReadOnlyList<string> ParseFailures { get; }

    internal CommonFieldOffsets FieldOffsets { get; }

    public EventFormat? Find(int id) => _byId.GetValueOrDefault(id);

    public EventFormat? Find(string system, string name) => _byName.GetValueOrDefault(system + ":" + name);

    /// <summary>
    /// The format of records whose common_type is <paramref name="id"/>, prepared; null when unknown.
    /// Safe for concurrent readers: the table is only ever replaced by a larger copy, and a lost
    /// race costs one more preparation.
    /// </summary>
    internal CompiledFormat? Compiled(int id)
    {
        CompiledFormat?[] table = _compiled;
        if ((uint)id < (uint)table.Length && table[id] is { } known)
        {
            return known;
        }

        if (!_byId.TryGetValue(id, out EventFormat? format))
        {
            return null;
        }

        if (id >= table.Length)
        {
            var bigger = new CompiledFormat?[Math.Max(id + 1, table.Length * 2)];
            Array.Copy(table, bigger, table.Length);
            _compiled = table = bigger;
        }

        return table[id] = new CompiledFormat(format);
    }

    /// <summary>Reads every events/SYSTEM/EVENT/format under a tracefs (or instance) events directory.</summary>
    public static EventCatalog FromDirectory(string eventsDirectory)
    {
        var formats = new List<EventFormat>();
        var failures = new List<string>();
        foreach (string systemDir in Directory.EnumerateDirectories(eventsDirectory).Order(StringComparer.Ordinal))
        {
            string system = Path.GetFileName(systemDir);
            foreach (string eventDir in Directory.EnumerateDirectories(systemDir).Order(StringComparer.Ordinal))
            {
                string file = Path.Combine(eventDir, "format");
                if (!File.Exists(file))
                {
                    continue;
                }

                try
                {
                    formats.Add(EventFormatParser.Parse(File.ReadAllText(file), system));
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or OverflowException or ArgumentException or IndexOutOfRangeException)
                {
                    failures.Add($"{system}/{Path.GetFileName(eventDir)}: {e.Message}");
                }
            }
        }

        return new EventCatalog(formats, failures);
    }

    public override string ToString() => $"{Formats.Count} event formats";
}

/// <summary>Where the common_* fields sit in every record (the same for all events of a kernel).</summary>
internal sealed record CommonFieldOffsets(int Type, int TypeSize, int Flags, int PreemptCount, int Pid)
{
    public static CommonFieldOffsets Default { get; } = new(0, 2, 2, 3, 4);

    /// <summary>The header every record has: common_pid ends it.</summary>
    public int Length => Pid + 4;

    public static CommonFieldOffsets From(IEnumerable<EventFormat> formats)
    {
        EventFormat? f = formats.FirstOrDefault(x => x.CommonFields.Count > 0);
        if (f is null)
        {
            return Default;
        }

        FormatField? type = f.Field("common_type");
        return new CommonFieldOffsets(
            type?.Offset ?? 0,
            type?.Size is 1 or 2 or 4 ? type.Size : 2,
            f.Field("common_flags")?.Offset ?? 2,
            f.Field("common_preempt_count")?.Offset ?? 3,
            f.Field("common_pid")?.Offset ?? 4);
    }
}
