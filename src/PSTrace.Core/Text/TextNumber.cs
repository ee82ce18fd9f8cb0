using System.Globalization;
using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>
/// Numbers as the kernel prints them in trace text: field values turned into the field's own type, and the forms
/// the tracers print (seconds with decimals, microsecond durations, hex and signed return values).
/// </summary>
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

    /// <summary>"216.375196" (seconds, up to 9 decimals) or "411" (a counter clock) as nanoseconds.</summary>
    public static bool TryParseSeconds(ReadOnlySpan<char> text, out ulong nanoseconds)
    {
        nanoseconds = 0;
        int dot = text.IndexOf('.');
        ReadOnlySpan<char> whole = dot < 0 ? text : text[..dot];
        if (whole.IsEmpty || !ulong.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seconds))
        {
            return false;
        }

        if (dot < 0)
        {
            // A counter clock prints a plain count; keep it as is.
            nanoseconds = seconds;
            return true;
        }

        if (!TryParseFraction(text[(dot + 1)..], 9, out ulong fraction))
        {
            return false;
        }

        nanoseconds = seconds * 1_000_000_000 + fraction;
        return true;
    }

    /// <summary>"0.198", "99999.99", "1234567" (microseconds, at most 3 decimals) as nanoseconds.</summary>
    public static bool TryParseMicroseconds(ReadOnlySpan<char> text, out long nanoseconds)
    {
        nanoseconds = 0;
        int dot = text.IndexOf('.');
        ReadOnlySpan<char> whole = dot < 0 ? text : text[..dot];
        if (whole.IsEmpty || !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out long micros))
        {
            return false;
        }

        ulong fraction = 0;
        if (dot >= 0 && !TryParseFraction(text[(dot + 1)..], 3, out fraction))
        {
            return false;
        }

        nanoseconds = micros * 1000 + (long)fraction;
        return true;
    }

    /// <summary>"0x1f" (the kernel's %lx, as the unsigned bits) or "-22" (its %ld).</summary>
    public static bool TryParseReturnValue(ReadOnlySpan<char> text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            bool ok = ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong bits);
            value = unchecked((long)bits);
            return ok;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Decimal digits after the point, scaled to <paramref name="places"/> places.</summary>
    private static bool TryParseFraction(ReadOnlySpan<char> digits, int places, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > places)
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (ulong)(c - '0');
        }

        for (int i = digits.Length; i < places; i++)
        {
            value *= 10;
        }

        return true;
    }
}
