using System.Globalization;
using System.Text;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;

namespace PSTrace.Tests.Binary;

/// <summary>
/// Decides whether a decoded field value is what trace-cmd printed for it. libtraceevent prints a
/// field through its print fmt when the format uses it directly (so %x gives hex without 0x, %p
/// gives 0x..., %ps a symbol name) and raw otherwise (decimal, 0x for longs, ARRAY[bytes]).
/// </summary>
internal static class FieldComparer
{
    /// <param name="field">The field's format: numbers are long or ulong whatever their size, the format says how many bytes trace-cmd printed.</param>
    public static bool Matches(object? mine, string theirs, KernelSymbols symbols, FormatField field)
    {
        switch (mine)
        {
            case string s:
                return theirs == s || theirs == s.TrimEnd('\n') || (theirs.StartsWith("ARRAY[", StringComparison.Ordinal) && ArrayBytes(theirs).AsSpan().StartsWith(Encoding.UTF8.GetBytes(s)));
            case byte[] bytes when !theirs.StartsWith("ARRAY[", StringComparison.Ordinal):
                // A char field that is not text: trace-cmd prints the bytes with %s, up to the first NUL,
                // and when the record has none it reads on past the record's end (seen with
                // trace_marker_raw): so what it printed starts with the bytes.
                int nul = Array.IndexOf(bytes, (byte)0);
                string expected = Encoding.Latin1.GetString(bytes, 0, nul < 0 ? bytes.Length : nul);
                return nul < 0 ? theirs.StartsWith(expected, StringComparison.Ordinal) : theirs == expected;
            case Array array:
                return theirs.StartsWith("ARRAY[", StringComparison.Ordinal) && ArrayBytes(theirs).SequenceEqual(LittleEndianBytes(array, field.ElementSize));
            case null:
                return false;
            default:
                (ulong bits, int size, bool signed) = Bits(mine);
                size = Math.Min(size, field.Size);
                return NumberMatches(theirs, bits, size, signed) || SymbolMatches(theirs, bits, symbols);
        }
    }

    private static bool NumberMatches(string text, ulong bits, int size, bool signed)
    {
        ulong mask = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
        string t = text.Trim();
        if (t.StartsWith("0x", StringComparison.Ordinal))
        {
            return ulong.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex) && (hex & mask) == (bits & mask);
        }

        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long dec) && ((ulong)dec & mask) == (bits & mask))
        {
            return true;
        }

        if (ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out ulong udec) && (udec & mask) == (bits & mask))
        {
            return true;
        }

        // "%x" and "%lx" in a print fmt: hex without 0x.
        return ulong.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong bare) && (bare & mask) == (bits & mask);
    }

    /// <summary>"%ps" prints the name of the symbol the address falls in; "%pS" adds "+0xoffset/size".</summary>
    private static bool SymbolMatches(string text, ulong address, KernelSymbols symbols)
    {
        KernelSymbol? s = symbols.Lookup(address);
        if (s is null)
        {
            return false;
        }

        string name = text.Split('+')[0];
        return symbols.Symbols.Any(x => x.Address == s.Address && x.Name == name);
    }

    private static (ulong Bits, int Size, bool Signed) Bits(object value) => value switch
    {
        bool b => (b ? 1UL : 0, 1, false),
        sbyte v => ((ulong)v, 1, true),
        byte v => (v, 1, false),
        short v => ((ulong)v, 2, true),
        ushort v => (v, 2, false),
        int v => ((ulong)v, 4, true),
        uint v => (v, 4, false),
        long v => ((ulong)v, 8, true),
        ulong v => (v, 8, false),
        _ => throw new InvalidOperationException($"Unexpected field value type {value.GetType()}"),
    };

    private static byte[] ArrayBytes(string text) =>
        text["ARRAY[".Length..^1].Split(", ", StringSplitOptions.RemoveEmptyEntries)
            .Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();

    private static byte[] LittleEndianBytes(Array array, int elementSize)
    {
        var bytes = new List<byte>();
        foreach (object? o in array)
        {
            (ulong bits, int size, _) = Bits(o!);
            size = Math.Min(size, elementSize);
            for (int i = 0; i < size; i++)
            {
                bytes.Add((byte)(bits >> (8 * i)));
            }
        }

        return bytes.ToArray();
    }
}
