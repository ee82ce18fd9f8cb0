using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>
/// Reads a probe event's text body (what follows "EVENT: " in a trace line) by the probe's definition.
/// The kernel prints strings in quotes without escaping inner quotes ("echo "hello world""), so values are
/// found by the declared argument names in order, not by splitting on quotes or spaces.
/// </summary>
public static class ProbeHitParser
{
    public static ProbeHit Parse(ProbeDefinition definition, string body)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(body);
        string text = body.TrimEnd('\n', '\r');
        if (!text.StartsWith('('))
        {
            throw new FormatException($"A probe hit starts with '(': {body}");
        }

        int close = text.IndexOf(')', StringComparison.Ordinal);
        if (close < 0)
        {
            throw new FormatException($"A probe hit's '(' is not closed: {body}");
        }

        string where = text[1..close];
        string? returnSite = null;
        int arrow = where.IndexOf(" <- ", StringComparison.Ordinal);
        if (arrow >= 0)
        {
            returnSite = where[..arrow];
            where = where[(arrow + 4)..];
        }

        (ulong? address, string? symbol) = Location(where);
        (ulong? returnAddress, string? returnSymbol) = returnSite is null ? (null, null) : Location(returnSite);
        var values = ParseArguments(definition, text, close + 1);
        return new ProbeHit(definition.Group, definition.Event, definition.Kind, address, symbol, returnAddress, returnSymbol, new ProbeArguments(values));
    }

    /// <summary>
    /// Builds a hit from an event's fields, typed by the probe's format (the binary pages and the text
    /// reader give the same): __probe_ip (entry probes) or __probe_func and __probe_ret_ip (return
    /// probes), then the declared arguments by name. A place is an address, or, where the text printed a
    /// symbol ("do_sys_open+0x0/0x220"), that symbol.
    /// </summary>
    public static ProbeHit FromFields(ProbeDefinition definition, IReadOnlyDictionary<string, object?> fields)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(fields);
        bool isReturn = definition.Kind.IsReturn();
        (ulong? address, string? symbol) = Place(fields, isReturn ? "__probe_func" : "__probe_ip");
        (ulong? returnAddress, string? returnSymbol) = isReturn ? Place(fields, "__probe_ret_ip") : (null, null);
        if (address is null && symbol is null)
        {
            throw new FormatException($"The event has no {(isReturn ? "__probe_func" : "__probe_ip")} field: it is not a hit of {definition.Group}/{definition.Event}.");
        }

        var values = new List<KeyValuePair<string, object?>>(definition.Arguments.Count);
        foreach (FetchArgument argument in definition.Arguments)
        {
            if (!fields.TryGetValue(argument.Name, out object? value))
            {
                throw new FormatException($"The event has no field {argument.Name} that {definition.Group}/{definition.Event} declares.");
            }

            // Both decoders mark a value the kernel could not fetch as the kernel prints it.
            values.Add(new KeyValuePair<string, object?>(argument.Name, value is "(fault)" ? ProbeFault.Instance : value));
        }

        return new ProbeHit(definition.Group, definition.Event, definition.Kind, address, symbol, returnAddress, returnSymbol, new ProbeArguments(values));
    }

    private static (ulong? Address, string? Symbol) Place(IReadOnlyDictionary<string, object?> fields, string name) => fields.GetValueOrDefault(name) switch
    {
        ulong u => (u, null),
        long l => (unchecked((ulong)l), null),
        string s => Location(s),
        _ => (null, null),
    };

    private static (ulong? Address, string? Symbol) Location(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong a)
            ? (a, null)
            : (null, text);

    private static List<KeyValuePair<string, object?>> ParseArguments(ProbeDefinition definition, string text, int pos)
    {
        IReadOnlyList<FetchArgument> args = Expand(definition);
        var values = new List<KeyValuePair<string, object?>>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            string marker = " " + args[i].Name + "=";
            if (string.CompareOrdinal(text, pos, marker, 0, marker.Length) != 0)
            {
                throw new FormatException($"Expected '{marker.Trim()}' at column {pos + 1} of: {text}");
            }

            int start = pos + marker.Length;
            int end = ValueEnd(text, start, args[i], i + 1 < args.Count ? args[i + 1].Name : null);
            values.Add(new(args[i].Name, Convert(text[start..end], args[i].Type)));
            pos = end;
        }

        return values;
    }

    /// <summary>Where a value ends: at the next argument's " name=" (after a closing quote for strings), or at the end of the line.</summary>
    private static int ValueEnd(string text, int start, FetchArgument arg, string? nextName)
    {
        if (nextName is null)
        {
            return text.Length;
        }

        string next = " " + nextName + "=";
        if (arg.Type.IsString && !arg.Type.IsArray && start < text.Length && text[start] == '"')
        {
            int q = text.IndexOf("\"" + next, start + 1, StringComparison.Ordinal);
            if (q >= 0)
            {
                return q + 1;
            }
        }

        int n = text.IndexOf(next, start, StringComparison.Ordinal);
        return n < 0 ? text.Length : n;
    }

    /// <summary>The value as its declared type prints it (the print functions of kernel/trace/trace_probe.c).</summary>
    internal static object? Convert(string value, ProbeArgumentType type)
    {
        if (value == "(fault)")
        {
            return ProbeFault.Instance;
        }

        if (type.IsArray && value.StartsWith('{') && value.EndsWith('}'))
        {
            ProbeArgumentType element = ProbeArgumentType.FromName(type.ToString().Split('[')[0]) ?? ProbeArgumentType.Default;
            string inner = value[1..^1];
            List<string> items = type.IsString ? SplitQuoted(inner) : [.. inner.Split(',')];
            return items.Select(v => Convert(v, element)).ToArray();
        }

        if (type.IsString)
        {
            return value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        }

        NumberStyles hex = NumberStyles.AllowHexSpecifier;
        return type.Kind switch
        {
            ProbeTypeKind.Signed when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s) => s,
            ProbeTypeKind.Unsigned or ProbeTypeKind.Bitfield when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u) => u,
            ProbeTypeKind.Hex when value.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(value.AsSpan(2), hex, CultureInfo.InvariantCulture, out ulong x) => x,
            ProbeTypeKind.Char when value.Length == 3 && value[0] == '\'' && value[2] == '\'' => value[1],
            _ => value,
        };
    }

    /// <summary>Splits "\"a\",\"b,c\"" into its quoted items.</summary>
    private static List<string> SplitQuoted(string inner)
    {
        var items = new List<string>();
        int start = 0;
        for (int i = 0; i <= inner.Length; i++)
        {
            if (i == inner.Length || (inner[i] == ',' && i > start && inner[i - 1] == '"' && i + 1 < inner.Length && inner[i + 1] is '"' or '('))
            {
                items.Add(inner[start..i]);
                start = i + 1;
            }
        }

        return items;
    }

    /// <summary>$arg* becomes one field per function parameter, which only the kernel's listing names; hits of such probes cannot be read by the definition alone.</summary>
    private static IReadOnlyList<FetchArgument> Expand(ProbeDefinition definition)
    {
        if (definition.Arguments.Any(a => a.Expression is AllArgumentsFetch))
        {
            throw new NotSupportedException("The probe uses $arg*, which the kernel expands to named parameters: read its definition back from the kernel's listing to parse its hits.");
        }

        return definition.Arguments;
    }
}
