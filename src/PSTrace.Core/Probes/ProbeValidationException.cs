using System.Text;

namespace PSTrace.Core.Probes;

/// <summary>
/// A probe definition (or a piece of one) that must not be written to a control file.
/// Carries the text that was checked, the zero-based position of the offending part in it,
/// and that part itself, so a caller can show a caret under it like the kernel's error_log does.
/// </summary>
public sealed class ProbeValidationException : FormatException
{
    public ProbeValidationException(ProbeErrorCode code, string reason, string text, int position, int length = 1)
        : base(Compose(reason, text, position, length))
    {
        Code = code;
        Reason = reason;
        Text = text;
        Position = Math.Clamp(position, 0, text.Length);
        Length = Math.Max(0, Math.Min(length, text.Length - Position));
    }

    public ProbeErrorCode Code { get; }

    /// <summary>What is wrong, in words, without the text and the caret.</summary>
    public string Reason { get; }

    /// <summary>The text that was checked: a whole definition line, or the one field a caller passed.</summary>
    public string Text { get; }

    /// <summary>Zero-based index in <see cref="Text"/> where the offending part starts.</summary>
    public int Position { get; }

    /// <summary>How many characters the offending part spans (at least 1 when the text has any there).</summary>
    public int Length { get; }

    /// <summary>The offending part of <see cref="Text"/>; empty when the problem is that something is missing at the end.</summary>
    public string Offending => Text.Substring(Position, Length);

    /// <summary>The same error about a larger text that holds this one at <paramref name="offset"/>.</summary>
    public ProbeValidationException Within(string outerText, int offset) =>
        new(Code, Reason, outerText, offset + Position, Length);

    private static string Compose(string reason, string text, int position, int length)
    {
        int pos = Math.Clamp(position, 0, text.Length);
        var sb = new StringBuilder(reason);
        sb.Append(Environment.NewLine).Append("  ").Append(Printable(text));
        sb.Append(Environment.NewLine).Append("  ").Append(' ', pos).Append('^');
        if (length > 1 && pos + length <= text.Length)
        {
            sb.Append('~', length - 1);
        }

        return sb.ToString();
    }

    /// <summary>Control characters shown as one visible symbol each, so the caret line stays aligned and a line break in the input cannot break the message.</summary>
    internal static string Printable(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '\n' => "↵",
                '\r' => "␍",
                '\t' => "→",
                < ' ' or '\x7f' => "·",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
