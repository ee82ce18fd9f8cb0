namespace PSTrace.Core.Text;

/// <summary>One piece of a print fmt: literal text, or a conversion and the argument it prints.</summary>
internal sealed class PrintToken
{
    private PrintToken(string? literal, ConversionKind kind, int starArguments)
    {
        Literal = literal;
        Kind = kind;
        StarArguments = starArguments;
    }

    /// <summary>The literal text; null for a conversion.</summary>
    public string? Literal { get; }

    public ConversionKind Kind { get; }

    /// <summary>Arguments a '*' width or precision takes before the value's own.</summary>
    public int StarArguments { get; }

    public PrintArgument Argument { get; set; } = PrintArgument.Nothing;

    public bool IsNumber => Literal is null && Kind is not ConversionKind.Text and not ConversionKind.Char;

    /// <summary>Cuts a format string into literals and conversions ("%%" is a literal '%').</summary>
    public static List<PrintToken> Tokenize(string format)
    {
        var tokens = new List<PrintToken>();
        var literal = new System.Text.StringBuilder();
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (format[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }

            if (literal.Length > 0)
            {
                tokens.Add(new PrintToken(literal.ToString(), ConversionKind.Text, 0));
                literal.Clear();
            }

            i = ReadConversion(format, i + 1, out ConversionKind kind, out int stars);
            tokens.Add(new PrintToken(null, kind, stars));
        }

        if (literal.Length > 0)
        {
            tokens.Add(new PrintToken(literal.ToString(), ConversionKind.Text, 0));
        }

        return tokens;
    }

    /// <summary>Flags, width, precision, length, then the conversion letter (and a %p extension).</summary>
    private static int ReadConversion(string f, int i, out ConversionKind kind, out int stars)
    {
        stars = 0;
        while (i < f.Length && f[i] is '-' or '+' or ' ' or '#' or '0')
        {
            i++;
        }

        while (i < f.Length && (char.IsAsciiDigit(f[i]) || f[i] is '.' or '*'))
        {
            if (f[i] == '*')
            {
                stars++;
            }

            i++;
        }

        while (i < f.Length && f[i] is 'h' or 'l' or 'L' or 'q' or 'z' or 'j' or 't')
        {
            i++;
        }

        char conv = i < f.Length ? f[i++] : 's';
        kind = conv switch
        {
            'd' or 'i' => ConversionKind.Signed,
            'u' => ConversionKind.Unsigned,
            'x' or 'X' => ConversionKind.Hex,
            'o' => ConversionKind.Octal,
            'c' => ConversionKind.Char,
            _ => ConversionKind.Text,
        };

        if (conv == 'p')
        {
            // Kernel pointer extensions: %pS, %pI4, %pUb... print text; %p, %px, %pK print hex.
            int ext = i;
            while (i < f.Length && char.IsAsciiLetterOrDigit(f[i]))
            {
                i++;
            }

            kind = f.AsSpan(ext, i - ext) is "" or "x" or "K" ? ConversionKind.Hex : ConversionKind.Text;
        }

        return i;
    }
}
