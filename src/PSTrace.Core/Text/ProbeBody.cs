using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>
/// The text of kprobe and uprobe events (kernel/trace/trace_probe.c and trace_uprobe.c print them
/// themselves): "(0x7f..fc0)" or "(do_sys_open+0x0/0x220)" for an entry, "(ret_ip &lt;- func)" for a
/// return, then " name=value" per argument. Strings are quoted with inner quotes NOT escaped, so the
/// text is cut by the declared argument names, in order, not by quotes. A failed fetch prints
/// "(fault)"; arrays print "{a,b}".
/// </summary>
internal sealed class ProbeBody
{
    private readonly bool _return;
    private readonly FormatField[] _arguments;
    private readonly string[] _separators;

    private ProbeBody(bool isReturn, FormatField[] arguments)
    {
        _return = isReturn;
        _arguments = arguments;
        _separators = arguments.Select(a => " " + a.Name + "=").ToArray();
    }

    /// <summary>A reader for a probe's format, or null when the format is not a probe's.</summary>
    public static ProbeBody? For(EventFormat format)
    {
        IReadOnlyList<FormatField> f = format.Fields;
        if (f.Count >= 1 && f[0].Name == "__probe_ip")
        {
            return new ProbeBody(false, f.Skip(1).ToArray());
        }

        if (f.Count >= 2 && f[0].Name == "__probe_func" && f[1].Name == "__probe_ret_ip")
        {
            return new ProbeBody(true, f.Skip(2).ToArray());
        }

        return null;
    }

    public bool TryDecode(ReadOnlySpan<char> body, Dictionary<string, object?> fields)
    {
        int close = body.IndexOf(')');
        if (body.IsEmpty || body[0] != '(' || close < 0)
        {
            return false;
        }

        ReadOnlySpan<char> where = body[1..close];
        if (_return)
        {
            int arrow = where.IndexOf(" <- ", StringComparison.Ordinal);
            if (arrow < 0)
            {
                return false;
            }

            fields["__probe_ret_ip"] = Address(where[..arrow]);
            fields["__probe_func"] = Address(where[(arrow + 4)..]);
        }
        else
        {
            fields["__probe_ip"] = Address(where);
        }

        int pos = close + 1;
        for (int i = 0; i < _arguments.Length; i++)
        {
            if (!body[pos..].StartsWith(_separators[i], StringComparison.Ordinal))
            {
                return false;
            }

            pos += _separators[i].Length;
            int end = i + 1 == _arguments.Length ? body.Length : ValueEnd(body, pos, i);
            if (end < 0)
            {
                return false;
            }

            fields[_arguments[i].Name] = Value(body[pos..end], _arguments[i]);
            pos = end;
        }

        return pos == body.Length;
    }

    /// <summary>
    /// The value of argument <paramref name="i"/> ends where the next argument's " name=" starts; for a
    /// string, only where that follows its closing quote or a "(fault)", so a quote or " name=" inside
    /// the string does not end it.
    /// </summary>
    private int ValueEnd(ReadOnlySpan<char> body, int pos, int i)
    {
        string next = _separators[i + 1];
        int first = -1;
        for (int from = pos; ;)
        {
            int at = body[from..].IndexOf(next, StringComparison.Ordinal);
            if (at < 0)
            {
                return first;
            }

            at += from;
            if (first < 0)
            {
                first = at;
            }

            ReadOnlySpan<char> value = body[pos..at];
            if (!_arguments[i].IsString || value is EventBodyDecoder.Fault || (value.Length >= 2 && value[0] == '"' && value[^1] == '"'))
            {
                return at;
            }

            from = at + 1;
        }
    }

    private static object Value(ReadOnlySpan<char> text, FormatField field)
    {
        if (text is EventBodyDecoder.Fault)
        {
            return EventBodyDecoder.Fault;
        }

        if (field.IsString)
        {
            return (text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text).ToString();
        }

        if (field.Layout == FieldLayout.Array && text.Length >= 2 && text[0] == '{' && text[^1] == '}')
        {
            return ParseArray(text[1..^1], field);
        }

        return TextNumber.TryParseAny(text, out ulong bits) ? TextNumber.Typed(bits, field) : text.ToString();
    }

    private static object ParseArray(ReadOnlySpan<char> items, FormatField field)
    {
        var values = new List<ulong>();
        for (ReadOnlySpan<char> rest = items; !rest.IsEmpty;)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> item = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? default : rest[(comma + 1)..];
            if (!TextNumber.TryParseAny(item.Trim(), out ulong bits))
            {
                return "{" + items.ToString() + "}";
            }

            values.Add(bits);
        }

        int size = field.ElementSize;
        return field.IsSigned
            ? values.Select(v => (long)TextNumber.Typed(v, size, signed: true)).ToArray()
            : values.Select(v => (ulong)TextNumber.Typed(v, size, signed: false)).ToArray();
    }

    /// <summary>An address printed as hex, or a symbol ("do_sys_open+0x0/0x220") kept as text.</summary>
    private static object Address(ReadOnlySpan<char> text) =>
        text.StartsWith("0x", StringComparison.Ordinal) && TextNumber.TryParseHex(text, out ulong a) ? a : text.ToString();
}
