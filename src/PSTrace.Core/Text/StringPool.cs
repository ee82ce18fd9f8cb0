namespace PSTrace.Core.Text;

/// <summary>
/// Hands out one string per distinct text (comms, flag columns, event names repeat on almost every
/// line), so parsing a line allocates no string for them once they have been seen.
/// Bounded: when full it stops remembering and simply allocates.
/// </summary>
internal sealed class StringPool
{
    private readonly string?[] _slots;
    private readonly int _mask;
    private int _count;

    public StringPool(int capacityPowerOfTwo = 4096)
    {
        _slots = new string?[capacityPowerOfTwo];
        _mask = capacityPowerOfTwo - 1;
    }

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return "";
        }

        int i = string.GetHashCode(text) & _mask;
        while (true)
        {
            string? s = _slots[i];
            if (s is null)
            {
                string made = text.ToString();
                if (_count < _slots.Length * 3 / 4)
                {
                    _slots[i] = made;
                    _count++;
                }

                return made;
            }

            if (text.SequenceEqual(s))
            {
                return s;
            }

            i = (i + 1) & _mask;
        }
    }
}
