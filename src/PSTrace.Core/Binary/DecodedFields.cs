using System.Collections;
using System.Globalization;
using System.Text;

namespace PSTrace.Core.Binary;

/// <summary>
/// The decoded fields of one event, by name, in format order. The names are shared by every event
/// of the format; only the values are per event. Read-only; also a non-generic IDictionary so that
/// PowerShell's $event.Fields.name works.
/// </summary>
internal sealed class DecodedFields : IReadOnlyDictionary<string, object?>, IDictionary, Records.IEventBodySource
{
    private readonly FieldNames _names;
    private readonly object?[] _values;

    public DecodedFields(FieldNames names, object?[] values)
    {
        _names = names;
        _values = values;
    }

    public static DecodedFields Empty { get; } = new(new FieldNames([]), []);

    public int Count => _values.Length;

    public object? this[string key] => _names.IndexOf(key) is var i and >= 0 ? _values[i] : throw new KeyNotFoundException($"The event has no field '{key}'.");

    public IEnumerable<string> Keys => _names.Names;

    public IEnumerable<object?> Values => _values;

    public bool ContainsKey(string key) => _names.IndexOf(key) >= 0;

    public bool TryGetValue(string key, out object? value)
    {
        int i = _names.IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < _values.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(_names.Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>"name=value name=value": integers in decimal, pointers in hex, arrays as {a,b}.</summary>
    public string RenderBody()
    {
        var sb = new StringBuilder(_values.Length * 16);
        for (int i = 0; i < _values.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(_names.Names[i]).Append('=');
            AppendValue(sb, _values[i]);
        }

        return sb.ToString();
    }

    public override string ToString() => RenderBody();

    internal static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string s:
                sb.Append(s);
                break;
            case byte[] bytes:
                sb.Append('{');
                for (int i = 0; i < bytes.Length; i++)
                {
                    sb.Append(i > 0 ? ",0x" : "0x").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
                }

                sb.Append('}');
                break;
            case Array array:
                sb.Append('{');
                for (int i = 0; i < array.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    AppendValue(sb, array.GetValue(i));
                }

                sb.Append('}');
                break;
            case IFormattable f:
                sb.Append(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                sb.Append(value);
                break;
        }
    }

    // IDictionary, read-only.
    bool IDictionary.IsFixedSize => true;
    bool IDictionary.IsReadOnly => true;
    ICollection IDictionary.Keys => _names.Names;
    ICollection IDictionary.Values => _values;
    bool ICollection.IsSynchronized => false;
    object ICollection.SyncRoot => this;

    object? IDictionary.this[object key]
    {
        get => key is string s && TryGetValue(s, out object? v) ? v : null;
        set => throw new NotSupportedException("Event fields are read-only.");
    }

    void IDictionary.Add(object key, object? value) => throw new NotSupportedException("Event fields are read-only.");
    void IDictionary.Clear() => throw new NotSupportedException("Event fields are read-only.");
    void IDictionary.Remove(object key) => throw new NotSupportedException("Event fields are read-only.");
    bool IDictionary.Contains(object key) => key is string s && ContainsKey(s);

    void ICollection.CopyTo(Array array, int index)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            array.SetValue(new DictionaryEntry(_names.Names[i], _values[i]), index + i);
        }
    }

    IDictionaryEnumerator IDictionary.GetEnumerator() => new Enumerator(this);

    private sealed class Enumerator(DecodedFields fields) : IDictionaryEnumerator
    {
        private int _i = -1;

        public DictionaryEntry Entry => new(fields._names.Names[_i], fields._values[_i]);
        public object Key => fields._names.Names[_i];
        public object? Value => fields._values[_i];
        public object Current => Entry;

        public bool MoveNext() => ++_i < fields._values.Length;

        public void Reset() => _i = -1;
    }
}
