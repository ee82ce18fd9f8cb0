using System.Management.Automation;

namespace PSTrace;

/// <summary>Records a command had to pass over, counted by type, so it says so once at the end rather than once per record.</summary>
internal sealed class SkippedRecords
{
    private const int TypesNamed = 4;

    private readonly string _lacking;
    private readonly Dictionary<string, long> _byType = new(StringComparer.Ordinal);

    /// <param name="lacking">What they lacked, to finish "Skipped N records without ...".</param>
    public SkippedRecords(string lacking)
    {
        _lacking = lacking;
    }

    public long Count { get; private set; }

    /// <summary>What the skipped records lacked.</summary>
    public string Lacking => _lacking;

    /// <summary>Counts a piped object; a deserialized record is named by its type name (Deserialized.PSTrace...).</summary>
    public void Add(PSObject record)
    {
        Count++;
        string type = record.BaseObject is PSCustomObject ? record.TypeNames.FirstOrDefault() ?? "PSCustomObject" : record.BaseObject.GetType().Name;
        _byType[type] = _byType.GetValueOrDefault(type) + 1;
    }

    /// <summary>One warning naming how many were skipped, of how many, and of which types; nothing when none was.</summary>
    public void Warn(Cmdlet cmdlet, long received)
    {
        if (Count > 0)
        {
            cmdlet.WriteWarning($"Skipped {Count} of {received} records without {_lacking} ({Types()}).");
        }
    }

    /// <summary>The types skipped with their counts, the most frequent first: "2 String, 1 TraceLostEvents".</summary>
    public string Types()
    {
        IEnumerable<string> types = _byType.OrderByDescending(t => t.Value).Take(TypesNamed).Select(t => $"{t.Value} {t.Key}");
        return string.Join(", ", types) + (_byType.Count > TypesNamed ? ", ..." : "");
    }
}
