using System.Globalization;

namespace PSTrace.Core.Pictures;

/// <summary>Reads one line of folded stacks ("a;b;c 12"), as stackcollapse-*.pl, perf script | inferno-collapse and this module write them.</summary>
public static class FoldedLine
{
    /// <summary>
    /// Splits a line at its last run of blanks into the stack and its value. False for a line with no stack,
    /// no value, or a value that is not a whole number above zero (a comment, a blank line, a header).
    /// </summary>
    public static bool TryParse(string? line, out string stack, out long value)
    {
        stack = "";
        value = 0;
        ReadOnlySpan<char> text = line.AsSpan().Trim();
        int blank = text.LastIndexOfAny(' ', '\t');
        if (blank <= 0
            || !long.TryParse(text[(blank + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out value)
            || value <= 0)
        {
            value = 0;
            return false;
        }

        ReadOnlySpan<char> frames = text[..blank].TrimEnd();
        if (frames.IsEmpty)
        {
            value = 0;
            return false;
        }

        stack = frames.ToString();
        return true;
    }
}
