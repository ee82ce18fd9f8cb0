namespace PSTrace.Core.Text;

/// <summary>
/// Hands out one string per distinct text (comms, flag columns, event names, function and module names
/// repeat on almost every line), so parsing a line allocates no string for them once they have been seen:
/// a trace of millions of calls to a few thousand functions allocates each name once.
/// </summary>
internal sealed class StringPool
{
    // Past this many names the pool stops growing and new names are simply allocated.
    private const int MaxEntries = 1 << 16;

    private int[] _buckets = new int[1024];
    private Entry[] _entries = new Entry[1024];
    private int _count;

    private struct Entry
    {
        public string Value;
        public int Hash;
        public int Next;
    }

    public int Count => _count;

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return string.Empty;
        }

        int hash = string.GetHashCode(text);
        int bucket = (hash & int.MaxValue) % _buckets.Length;
        for (int i = _buckets[bucket] - 1; i >= 0; i = _entries[i].Next)
        {
            if (_entries[i].Hash == hash && text.SequenceEqual(_entries[i].Value))
            {
                return _entries[i].Value;
            }
        }

        string value = text.ToString();
        if (_count >= MaxEntries)
        {
            return value;
        }

        if (_count == _entries.Length)
        {
            Grow();
            bucket = (hash & int.MaxValue) % _buckets.Length;
        }

        _entries[_count] = new Entry { Value = value, Hash = hash, Next = _buckets[bucket] - 1 };
        _buckets[bucket] = ++_count;
        return value;
    }

    private void Grow()
    {
        Array.Resize(ref _entries, _entries.Length * 2);
        _buckets = new int[_entries.Length];
        for (int i = 0; i < _count; i++)
        {
            int bucket = (_entries[i].Hash & int.MaxValue) % _buckets.Length;
            _entries[i].Next = _buckets[bucket] - 1;
            _buckets[bucket] = i + 1;
        }
    }
}
