using System.Collections;

namespace PSTrace.Core.Probes;

/// <summary>A hit's argument values by name, in the order the probe declares them.</summary>
public sealed class ProbeArguments : IReadOnlyDictionary<string, object?>
{
    private readonly List<KeyValuePair<string, object?>> _items;
    private readonly Dictionary<string, object?> _byName;

    internal ProbeArguments(List<KeyValuePair<string, object?>> items)
    {
        _items = items;
        _byName = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> kv in items)
        {
            _byName[kv.Key] = kv.Value;
        }
    }

    public int Count => _items.Count;

    public IEnumerable<string> Keys => _items.Select(kv => kv.Key);

    public IEnumerable<object?> Values => _items.Select(kv => kv.Value);

    public object? this[string key] => _byName[key];

    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    public bool TryGetValue(string key, out object? value) => _byName.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" ", _items.Select(kv => kv.Key + "=" + Format(kv.Value)));

    private static string Format(object? v) => v switch
    {
        string s => "\"" + s + "\"",
        Array a => "{" + string.Join(",", a.Cast<object?>().Select(Format)) + "}",
        null => "",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
