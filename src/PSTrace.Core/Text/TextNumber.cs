using System.Globalization;
using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>Numbers as the kernel prints them in trace text, turned into the field's own type.</summary>
internal static class TextNumber
{
    /// <summary>Parses hex digits with or without a 0x prefix.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        return ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a decimal number, signed or not, into its two's-complement bits.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out ulong bits)
    {
        if (text.Length > 0 && text[0] == '-')
        {
            bool ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed);
            bits = unchecked((ulong)signed);
            return ok;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bits);
    }

    /// <summary>"0x..." is hex, digits with an optional minus are decimal, other hex digits are hex (older kernels print hex bare).</summary>
    public static bool TryParseAny(ReadOnlySpan<char> text, out ulong bits)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseHex(text, out bits);
        }

        return TryParseDecimal(text, out bits) || TryParseHex(text, out bits);
    }

    /// <summary>
    /// The value as the field's type: long for a signed field (sign-extended from its size, so
    /// 0xfffffffffffffffe in a signed long is -2), ulong for an unsigned one (cut to its size),
    /// bool for a bool field; the binary decoder types values the same way.
    /// </summary>
    public static object Typed(ulong bits, FormatField? field, bool signedWithoutField = false)
    {
        if (field is null)
        {
            return signedWithoutField ? unchecked((long)bits) : bits;
        }

        if (field.Layout == FieldLayout.Scalar && field.Type is "bool" or "_Bool")
        {
            return bits != 0;
        }

        int size = field.ElementSize is > 0 and < 8 ? field.ElementSize : 8;
        return Typed(bits, size, field.IsSigned);
    }

    public static object Typed(ulong bits, int size, bool signed)
    {
        if (size is > 0 and < 8)
        {
            int shift = 64 - (size * 8);
            return signed ? unchecked((long)(bits << shift) >> shift) : (bits << shift) >> shift;
        }

        return signed ? unchecked((long)bits) : bits;
    }
}
