using System.Text;

namespace PSTrace.Core.Binary;

/// <summary>
/// Turns short byte strings (comms, file names) into strings, reusing the string made last time the
/// same bytes came by: the same few names repeat in almost every event. One per decoder; not thread-safe.
/// </summary>
internal sealed class StringCache
{
    private const int MaxCachedLength = 64;
    private const int Slots = 4096;

    private readonly byte[]?[] _keys = new byte[]?[Slots];
    private readonly string?[] _values = new string?[Slots];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return "";
        }

        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        int slot = (int)(Hash(utf8) & (Slots - 1));
        byte[]? key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        string value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a: short keys, so simple is fast enough.
        uint h = 2166136261;
        foreach (byte b in bytes)
        {
            h = (h ^ b) * 16777619;
        }

        return h ^ (h >> 15);
    }
}
