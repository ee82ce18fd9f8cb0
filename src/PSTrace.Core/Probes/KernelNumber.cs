using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>
/// Numbers the way the kernel's kstrtoul/kstrtol read them with base 0: "0x" hex, a leading "0" octal,
/// otherwise decimal; a leading '+' is allowed, '-' only for the signed form. No spaces, no suffixes.
/// </summary>
internal static class KernelNumber
{
    public static bool TryParseUnsigned(string text, out ulong value)
    {
        value = 0;
        string s = text.StartsWith('+') ? text[1..] : text;
        if (s.Length == 0)
        {
            return false;
        }

        if (s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        {
            return s[2..].All(Uri.IsHexDigit) && ulong.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (s.Length > 1 && s[0] == '0')
        {
            ulong v = 0;
            foreach (char c in s[1..])
            {
                if (c is < '0' or > '7' || v > (ulong.MaxValue >> 3))
                {
                    return false;
                }

                v = (v << 3) + (uint)(c - '0');
            }

            value = v;
            return true;
        }

        return s.All(char.IsAsciiDigit) && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseSigned(string text, out long value)
    {
        value = 0;
        if (text.StartsWith('-'))
        {
            if (!TryParseUnsigned(text[1..], out ulong magnitude) || text.Length > 1 && text[1] == '+' || magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = unchecked(-(long)magnitude);
            return true;
        }

        if (!TryParseUnsigned(text, out ulong u) || u > long.MaxValue)
        {
            return false;
        }

        value = (long)u;
        return true;
    }

    /// <summary>Decimal only, as the kernel reads $stackN and $argN (kstrtoul base 10).</summary>
    public static bool TryParseDecimal(string text, out ulong value)
    {
        value = 0;
        return text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
