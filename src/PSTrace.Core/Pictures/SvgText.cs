using System.Globalization;

namespace PSTrace.Core.Pictures;

/// <summary>Writes SVG text: markup as given, names escaped for XML, numbers in the invariant culture.</summary>
internal sealed class SvgText
{
    private readonly TextWriter _writer;

    public SvgText(TextWriter writer) => _writer = writer;

    public void Raw(string markup) => _writer.Write(markup);

    /// <summary>
    /// Text or an attribute value from the input: the XML specials escaped, and characters XML 1.0 cannot hold
    /// at all (control characters, unpaired surrogates) left out, so any frame name still gives a well-formed file.
    /// </summary>
    public void Escaped(string text)
    {
        int plainFrom = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                _ when IsAllowed(text, i) => null,
                _ => "",
            };
            if (replacement is null)
            {
                continue;
            }

            _writer.Write(text.AsSpan(plainFrom, i - plainFrom));
            _writer.Write(replacement);
            plainFrom = i + 1;
        }

        _writer.Write(text.AsSpan(plainFrom));
    }

    /// <summary>Up to six decimals: a micro-pixel, finer than any renderer draws.</summary>
    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static bool IsAllowed(string text, int i)
    {
        char c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i > 0 && char.IsHighSurrogate(text[i - 1]);
        }

        return c >= 0x20 ? c is not ('\uFFFE' or '\uFFFF') : c is '\t' or '\n' or '\r';
    }
}
