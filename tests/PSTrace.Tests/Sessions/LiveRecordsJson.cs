using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace PSTrace.Tests.Sessions;

/// <summary>
/// The live records a Watch-* run gave, as tests/lane/record-watch-fixtures.ps1 keeps them beside the trace it
/// recorded (&lt;tool&gt;-live.json): each record's type name and every public property as text, formatted the way
/// that script formats them, so records read back from the trace compare field by field.
/// </summary>
internal static class LiveRecordsJson
{
    public static List<(string Type, Dictionary<string, string?> Fields)> Load(string fixture)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.PathOf(fixture)));
        return doc.RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("Type").GetString()!,
                r.GetProperty("Fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString())))
            .ToList();
    }

    /// <summary>A record in the same form: what `[string]::Format(InvariantCulture, '{0}', $v)` gives, dates as UTC round-trip text, lists joined by '|'.</summary>
    public static (string Type, Dictionary<string, string?> Fields) Describe(object record)
    {
        var fields = new Dictionary<string, string?>();
        foreach (PropertyInfo p in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            fields[p.Name] = Text(p.GetValue(record));
        }

        return (record.GetType().Name, fields);
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable list => string.Join('|', list.Cast<object?>().Select(e => string.Format(CultureInfo.InvariantCulture, "{0}", e))),
        _ => string.Format(CultureInfo.InvariantCulture, "{0}", value),
    };
}
