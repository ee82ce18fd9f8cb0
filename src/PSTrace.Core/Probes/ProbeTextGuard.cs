namespace PSTrace.Core.Probes;

/// <summary>
/// Refuses text that could make one write to a control file do more than define one probe.
/// The kernel splits what is written into lines and runs each as a command (so a line break in a
/// name or path would define or delete another probe), cuts each line at '#' (a comment), splits
/// at white space without quoting, and takes at most 4094 characters a line (WRITE_BUFSIZE - 2).
/// ';' separates commands in synthetic_events, so it is refused too, and so are other control characters.
/// </summary>
public static class ProbeTextGuard
{
    /// <summary>Longest line the kernel's trace_parse_run_command accepts.</summary>
    public const int MaxLineLength = 4094;

    /// <summary>Checks one definition line (spaces and tabs separate its words).</summary>
    public static void CheckLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Check(line, "definition", allowBlanks: true);
        if (line.Length > MaxLineLength)
        {
            throw new ProbeValidationException(ProbeErrorCode.LineTooLong,
                $"The definition is {line.Length} characters long; the kernel takes at most {MaxLineLength} a line.", line, MaxLineLength, line.Length - MaxLineLength);
        }
    }

    /// <summary>Checks one field given on its own (a name, a path, an argument): no white space inside either.</summary>
    public static void CheckField(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        Check(text, what, allowBlanks: false);
    }

    private static void Check(string text, string what, bool allowBlanks)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\n' or '\r')
            {
                throw new ProbeValidationException(ProbeErrorCode.LineBreak,
                    $"The {what} contains a line break. The kernel runs every line written to a probe control file as its own command, so the rest would define or delete another probe.", text, i);
            }

            if (c == '#')
            {
                throw new ProbeValidationException(ProbeErrorCode.CommentCharacter,
                    $"The {what} contains '#'. The kernel treats '#' as the start of a comment and drops the rest of the line.", text, i);
            }

            if (c == ';')
            {
                throw new ProbeValidationException(ProbeErrorCode.Semicolon,
                    $"The {what} contains ';', which separates commands in the kernel's synthetic-event syntax; it is refused in probe definitions.", text, i);
            }

            if (c == '\t' && allowBlanks)
            {
                continue;
            }

            if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029')
            {
                throw new ProbeValidationException(ProbeErrorCode.ControlCharacter,
                    $"The {what} contains the control character U+{(int)c:X4}; a probe definition is plain printable text.", text, i);
            }
        }
    }
}
