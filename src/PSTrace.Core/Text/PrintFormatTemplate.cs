using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>
/// An event's print fmt compiled for reading its text back: literals must match exactly, and each
/// conversion's text becomes the value of the field its argument names.
/// </summary>
internal sealed class PrintFormatTemplate
{
    private const int MinorBits = 20;
    private readonly PrintToken[] _tokens;

    private PrintFormatTemplate(PrintToken[] tokens) => _tokens = tokens;

    public static PrintFormatTemplate Compile(EventFormat format)
    {
        List<PrintToken> tokens = PrintToken.Tokenize(format.PrintFormat);
        List<string> arguments = PrintArgument.Split(format.PrintArguments);
        int next = 0;
        foreach (PrintToken t in tokens)
        {
            if (t.Literal is not null)
            {
                continue;
            }

            next += t.StarArguments;
            if (next < arguments.Count)
            {
                t.Argument = PrintArgument.Analyze(arguments[next], format);
            }

            next++;
        }

        return new PrintFormatTemplate([.. tokens]);
    }

    /// <summary>Reads <paramref name="body"/> into <paramref name="fields"/>; false (fields then unreliable) when the text does not fit.</summary>
    public bool TryMatch(ReadOnlySpan<char> body, Dictionary<string, object?> fields)
    {
        int pos = 0;
        ulong? major = null, minor = null;
        FormatField? devField = null;
        for (int t = 0; t < _tokens.Length; t++)
        {
            PrintToken token = _tokens[t];
            if (token.Literal is { } literal)
            {
                if (!body[pos..].StartsWith(literal, StringComparison.Ordinal))
                {
                    return false;
                }

                pos += literal.Length;
                continue;
            }

            if (!TryValueEnd(body, pos, t, out int end))
            {
                return false;
            }

            ReadOnlySpan<char> value = body[pos..end];
            pos = end;
            PrintArgument arg = token.Argument;
            switch (arg.Role)
            {
                case ArgumentRole.Plain:
                    fields[arg.Field!.Name] = Value(value, token.Kind, arg.Field);
                    break;
                case ArgumentRole.Element:
                    SetElement(fields, arg, value, token.Kind);
                    break;
                case ArgumentRole.Major when TryNumber(value, token.Kind, out ulong m):
                    major = m;
                    devField = arg.Field;
                    fields.TryAdd(devField!.Name, null); // keeps the field's place in print order
                    break;
                case ArgumentRole.Minor when TryNumber(value, token.Kind, out ulong m):
                    minor = m;
                    devField = arg.Field;
                    break;
                case ArgumentRole.Derived when token.Kind == ConversionKind.Text:
                    // A symbol or flag string (__print_symbolic, __print_flags): the text is what there is.
                    fields.TryAdd(arg.Field!.Name, value.ToString());
                    break;
            }
        }

        if (pos != body.Length)
        {
            return false;
        }

        if (devField is not null)
        {
            if (major is { } ma && minor is { } mi)
            {
                fields[devField.Name] = TextNumber.Typed((ma << MinorBits) | mi, devField);
            }
            else if (fields.TryGetValue(devField.Name, out object? placeholder) && placeholder is null)
            {
                fields.Remove(devField.Name);
            }
        }

        return true;
    }

    /// <summary>
    /// Where the value of conversion token <paramref name="t"/> ends: at the next literal (at the end of the
    /// text when that literal closes the format, so "[%s]" keeps a ']' inside the value), or, before another
    /// conversion, after the run of number characters (for a number) or nothing (for text).
    /// </summary>
    private bool TryValueEnd(ReadOnlySpan<char> body, int pos, int t, out int end)
    {
        if (t + 1 == _tokens.Length)
        {
            end = body.Length;
            return true;
        }

        PrintToken next = _tokens[t + 1];
        if (next.Literal is { } literal)
        {
            if (t + 2 == _tokens.Length)
            {
                end = body.Length - literal.Length;
                return end >= pos && body.EndsWith(literal, StringComparison.Ordinal);
            }

            int found = body[pos..].IndexOf(literal, StringComparison.Ordinal);
            end = pos + found;
            return found >= 0;
        }

        end = pos;
        if (_tokens[t].IsNumber)
        {
            while (end < body.Length && (char.IsAsciiHexDigit(body[end]) || body[end] is '-' or 'x' or 'X'))
            {
                end++;
            }

            return true;
        }

        // Text run into another conversion ("%s%s"): the first takes all up to the next literal.
        for (int n = t + 1; n < _tokens.Length; n++)
        {
            if (_tokens[n].Literal is { } after)
            {
                int found = body[pos..].IndexOf(after, StringComparison.Ordinal);
                end = found < 0 ? pos : pos + found;
                return found >= 0;
            }
        }

        end = body.Length;
        return true;
    }

    private static void SetElement(Dictionary<string, object?> fields, PrintArgument arg, ReadOnlySpan<char> value, ConversionKind kind)
    {
        FormatField field = arg.Field!;
        int length = Math.Max(field.ArrayLength, arg.Index + 1);
        if (!TryNumber(value, kind, out ulong bits))
        {
            return;
        }

        if (field.IsSigned)
        {
            if (fields.GetValueOrDefault(field.Name) is not long[] array || array.Length < length)
            {
                fields[field.Name] = array = new long[length];
            }

            array[arg.Index] = (long)TextNumber.Typed(bits, field.ElementSize, signed: true);
        }
        else
        {
            if (fields.GetValueOrDefault(field.Name) is not ulong[] array || array.Length < length)
            {
                fields[field.Name] = array = new ulong[length];
            }

            array[arg.Index] = (ulong)TextNumber.Typed(bits, field.ElementSize, signed: false);
        }
    }

    /// <summary>The typed value of a plain field: a number as the field's type, else the text.</summary>
    private static object Value(ReadOnlySpan<char> text, ConversionKind kind, FormatField field)
    {
        if (kind is ConversionKind.Text or ConversionKind.Char || field.IsString)
        {
            return text.ToString();
        }

        return TryNumber(text, kind, out ulong bits) ? TextNumber.Typed(bits, field) : text.ToString();
    }

    private static bool TryNumber(ReadOnlySpan<char> text, ConversionKind kind, out ulong bits)
    {
        switch (kind)
        {
            case ConversionKind.Hex:
                return TextNumber.TryParseHex(text, out bits);
            case ConversionKind.Octal:
                bits = 0;
                foreach (char c in text)
                {
                    if (c is < '0' or > '7')
                    {
                        return false;
                    }

                    bits = (bits << 3) | (uint)(c - '0');
                }

                return text.Length > 0;
            default:
                return TextNumber.TryParseDecimal(text, out bits);
        }
    }
}
