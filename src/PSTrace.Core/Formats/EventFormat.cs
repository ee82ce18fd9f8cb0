namespace PSTrace.Core.Formats;

/// <summary>An event's layout: events/SYSTEM/EVENT/format parsed.</summary>
public sealed class EventFormat
{
    private readonly Dictionary<string, FormatField> _byName;

    public EventFormat(string system, string name, int id, IReadOnlyList<FormatField> commonFields, IReadOnlyList<FormatField> fields, string printFormat, string printArguments)
    {
        System = system;
        Name = name;
        Id = id;
        CommonFields = commonFields;
        Fields = fields;
        PrintFormat = printFormat;
        PrintArguments = printArguments;
        _byName = new Dictionary<string, FormatField>(StringComparer.Ordinal);
        foreach (FormatField f in commonFields.Concat(fields))
        {
            _byName.TryAdd(f.Name, f);
        }
    }

    public string System { get; }
    public string Name { get; }

    /// <summary>The event id: the common_type value of its records.</summary>
    public int Id { get; }

    public IReadOnlyList<FormatField> CommonFields { get; }

    /// <summary>The event's own fields, in declaration order.</summary>
    public IReadOnlyList<FormatField> Fields { get; }

    /// <summary>The print fmt's format string, unquoted and unescaped.</summary>
    public string PrintFormat { get; }

    /// <summary>The print fmt's argument list, as text (everything after the format string's comma).</summary>
    public string PrintArguments { get; }

    public string FullName => System + ":" + Name;

    public FormatField? Field(string name) => _byName.GetValueOrDefault(name);

    public override string ToString() => FullName;
}
