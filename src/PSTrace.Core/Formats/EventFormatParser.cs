using System.Globalization;
using System.Text;

namespace PSTrace.Core.Formats;

/// <summary>
/// Parses the text of an events/SYSTEM/EVENT/format file (and the same text as trace.dat stores it).
/// </summary>
public static class EventFormatParser
{
    /// <param name="system">The system when the caller knows it (from the directory); the file itself does not say.</param>
    public static EventFormat Parse(string text, string system)
    {
        string? name = null;
        int id = -1;
        var common = new List<FormatField>();
        var fields = new List<FormatField>();
        string printFormat = "";
        string printArgs = "";

        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            string trimmed = line.Trim();
            if (trimmed.StartsWith("name:", StringComparison.Ordinal))
            {
                name = trimmed["name:".Length..].Trim();
            }
            else if (trimmed.StartsWith("ID:", StringComparison.Ordinal))
            {
                id = int.Parse(trimmed["ID:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
            else if (trimmed.StartsWith("field:", StringComparison.Ordinal) || trimmed.StartsWith("field special:", StringComparison.Ordinal))
            {
                FormatField f = ParseField(trimmed);
                (f.IsCommon ? common : fields).Add(f);
            }
            else if (trimmed.StartsWith("print fmt:", StringComparison.Ordinal))
            {
                (printFormat, printArgs) = SplitPrintFmt(trimmed["print fmt:".Length..].Trim());
            }
        }

        if (name is null || id < 0)
        {
            throw new FormatException("Not an event format: it has no 'name:' or 'ID:' line.");
        }

        return new EventFormat(system, name, id, common, fields, printFormat, printArgs);
    }

    /// <summary>Parses "field:TYPE NAME[N];\toffset:O;\tsize:S;\tsigned:0|1;".</summary>
    internal static FormatField ParseField(string line)
    {
        string[] parts = line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string decl = parts[0][(parts[0].IndexOf(':') + 1)..].Trim();
        int offset = 0, size = 0;
        bool? signed = null;
        foreach (string p in parts.Skip(1))
        {
            int colon = p.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            string key = p[..colon].Trim();
            string value = p[(colon + 1)..].Trim();
            switch (key)
            {
                case "offset": offset = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "size": size = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "signed": signed = value == "1"; break;
            }
        }

        FieldLayout layout = FieldLayout.Scalar;
        if (decl.StartsWith("__data_loc ", StringComparison.Ordinal))
        {
            layout = FieldLayout.DataLoc;
            decl = decl["__data_loc ".Length..].Trim();
        }
        else if (decl.StartsWith("__rel_loc ", StringComparison.Ordinal))
        {
            layout = FieldLayout.RelLoc;
            decl = decl["__rel_loc ".Length..].Trim();
        }

        // The name is the last identifier; brackets may sit on the type ("char[] name") or the name ("comm[16]").
        int arrayLength = 0;
        string typeAndName = decl;
        int bracket = typeAndName.LastIndexOf('[');
        if (bracket >= 0 && typeAndName.EndsWith(']'))
        {
            string inside = typeAndName[(bracket + 1)..^1];
            if (layout == FieldLayout.Scalar)
            {
                layout = FieldLayout.Array;
                _ = int.TryParse(inside, NumberStyles.Integer, CultureInfo.InvariantCulture, out arrayLength);
            }

            typeAndName = typeAndName[..bracket].TrimEnd();
        }

        int split = typeAndName.Length - 1;
        while (split >= 0 && (char.IsLetterOrDigit(typeAndName[split]) || typeAndName[split] == '_'))
        {
            split--;
        }

        string fieldName = typeAndName[(split + 1)..];
        string type = typeAndName[..(split + 1)].Trim();
        int typeBracket = type.IndexOf('[');
        if (typeBracket >= 0)
        {
            // "__data_loc char[] name": the brackets belong to the type.
            string inside = type[(typeBracket + 1)..type.IndexOf(']')];
            if (layout == FieldLayout.Scalar)
            {
                layout = FieldLayout.Array;
                _ = int.TryParse(inside, NumberStyles.Integer, CultureInfo.InvariantCulture, out arrayLength);
            }

            type = type[..typeBracket].Trim();
        }

        if (layout == FieldLayout.Array && arrayLength == 0 && size > 0 && CTypes.SizeOf(type) is int elem and > 0)
        {
            arrayLength = size / elem;
        }

        bool isSigned = signed ?? (!type.Contains("unsigned", StringComparison.Ordinal) && !type.StartsWith('u') && !type.EndsWith('*'));
        return new FormatField(fieldName, type, offset, size, isSigned, layout, arrayLength, fieldName.StartsWith("common_", StringComparison.Ordinal));
    }

    /// <summary>Splits '"fmt %d", REC->x' into the unescaped format string and the argument text.</summary>
    internal static (string Format, string Arguments) SplitPrintFmt(string text)
    {
        if (text.Length == 0 || text[0] != '"')
        {
            return ("", text);
        }

        var sb = new StringBuilder();
        int i = 1;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                char n = text[++i];
                sb.Append(n switch { 'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', _ => n });
                continue;
            }

            if (c == '"')
            {
                break;
            }

            sb.Append(c);
        }

        string rest = i + 1 < text.Length ? text[(i + 1)..].TrimStart() : "";
        if (rest.StartsWith(','))
        {
            rest = rest[1..].Trim();
        }

        return (sb.ToString(), rest);
    }
}
