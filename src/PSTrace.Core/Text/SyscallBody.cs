using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>
/// The text of syscall events, which the kernel prints through its own functions, not the print fmt
/// (kernel/trace/trace_syscalls.c): enter "(dfd: 0xffffff9c, filename: 0x7f.., flags: 0x80000, mode: 0)",
/// exit " -> 0x3". Values are hex (6.18 with 0x, 6.1 without). The text names the arguments itself, so
/// this works without a format; with one, each value takes its field's type.
/// </summary>
internal static class SyscallBody
{
    /// <param name="text">The text after the printed syscall name: "(...)" or " -> value".</param>
    /// <param name="names">Where argument names are pooled; null to allocate them.</param>
    public static Dictionary<string, object?> Decode(ReadOnlySpan<char> text, bool enter, EventFormat? format, StringPool? names = null)
    {
        // Six arguments at most: sized once, never grown.
        var fields = new Dictionary<string, object?>(enter ? 6 : 1, StringComparer.Ordinal);
        if (!enter)
        {
            ReadOnlySpan<char> value = text[" -> ".Length..].Trim();
            FormatField? ret = format?.Field("ret");
            if (TextNumber.TryParseHex(value, out ulong bits))
            {
                // A syscall returns a long: 0xfffffffffffffffe is -2 (ENOENT).
                fields["ret"] = ret is null ? unchecked((long)bits) : TextNumber.Typed(bits, ret);
            }
            else
            {
                fields["ret"] = value.ToString();
            }

            return fields;
        }

        if (text.Length < 2 || text[0] != '(' || text[^1] != ')')
        {
            return fields;
        }

        ReadOnlySpan<char> args = text[1..^1];
        while (!args.IsEmpty)
        {
            int colon = args.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                break;
            }

            string name = names?.Get(args[..colon]) ?? args[..colon].ToString();
            args = args[(colon + 2)..];
            int end = NextArgument(args);
            ReadOnlySpan<char> value = args[..end];
            args = end < args.Length ? args[(end + 2)..] : default;
            FormatField? field = format?.Field(name);
            fields[name] = TextNumber.TryParseHex(value, out ulong bits) ? TextNumber.Typed(bits, field) : value.ToString();
        }

        return fields;
    }

    /// <summary>The end of a value: the ", " that is followed by "name: ".</summary>
    private static int NextArgument(ReadOnlySpan<char> args)
    {
        int from = 0;
        while (true)
        {
            int comma = args[from..].IndexOf(", ", StringComparison.Ordinal);
            if (comma < 0)
            {
                return args.Length;
            }

            comma += from;
            ReadOnlySpan<char> rest = args[(comma + 2)..];
            int n = 0;
            while (n < rest.Length && (char.IsAsciiLetterOrDigit(rest[n]) || rest[n] == '_'))
            {
                n++;
            }

            if (n > 0 && rest[n..].StartsWith(": ", StringComparison.Ordinal))
            {
                return comma;
            }

            from = comma + 2;
        }
    }
}
