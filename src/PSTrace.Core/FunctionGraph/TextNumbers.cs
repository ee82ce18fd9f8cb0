using System.Globalization;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>The number forms the tracers print: seconds with decimals, microsecond durations, hex and signed return values.</summary>
internal static class TextNumbers
{
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
