using System.Globalization;
using System.Text;
using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>One argument of an event's print fmt, read for the field it refers to.</summary>
internal readonly record struct PrintArgument(ArgumentRole Role, FormatField? Field, int Index)
{
    public static readonly PrintArgument Nothing = new(ArgumentRole.None, null, 0);

    /// <summary>Splits the print fmt's argument text at its top-level commas.</summary>
    public static List<string> Split(string arguments)
    {
        var list = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < arguments.Length; i++)
        {
            char c = arguments[i];
            if (c is '"' or '\'')
            {
                i = SkipQuoted(arguments, i);
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                list.Add(arguments[start..i].Trim());
                start = i + 1;
            }
        }

        if (arguments.AsSpan(start).Trim().Length > 0)
        {
            list.Add(arguments[start..].Trim());
        }

        return list;
    }

    public static PrintArgument Analyze(string argument, EventFormat format)
    {
        FormatField? field = SingleField(argument, format);
        if (field is null)
        {
            return Nothing;
        }

        string compact = string.Concat(argument.Where(c => !char.IsWhiteSpace(c)));
        string bare = PeelCasts(compact);
        if (bare == "REC->" + field.Name || IsGetter(bare, field.Name))
        {
            return new PrintArgument(ArgumentRole.Plain, field, 0);
        }

        if (bare.StartsWith("REC->" + field.Name + "[", StringComparison.Ordinal) && bare.EndsWith(']')
            && int.TryParse(bare.AsSpan(("REC->" + field.Name).Length + 1, bare.Length - ("REC->" + field.Name).Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return new PrintArgument(ArgumentRole.Element, field, index);
        }

        string flat = string.Concat(RemoveTypeCasts(compact).Where(c => c is not '(' and not ')'));
        if (flat == "REC->" + field.Name + ">>20")
        {
            return new PrintArgument(ArgumentRole.Major, field, 0);
        }

        if (flat == "REC->" + field.Name + "&1U<<20-1")
        {
            return new PrintArgument(ArgumentRole.Minor, field, 0);
        }

        return new PrintArgument(ArgumentRole.Derived, field, 0);
    }

    /// <summary>The one field the argument refers to (REC->name or __get_xxx(name)); null for none or several.</summary>
    private static FormatField? SingleField(string argument, EventFormat format)
    {
        FormatField? found = null;
        for (int i = 0; i < argument.Length; i++)
        {
            string? name = null;
            if (string.CompareOrdinal(argument, i, "REC->", 0, 5) == 0)
            {
                name = Identifier(argument, i + 5);
            }
            else if (string.CompareOrdinal(argument, i, "__get_", 0, 6) == 0)
            {
                int open = argument.IndexOf('(', i);
                if (open > 0 && Identifier(argument, i + 6) is { } getter && open == i + 6 + getter.Length)
                {
                    name = Identifier(argument, open + 1);
                }
            }

            if (name is not null && format.Field(name) is { IsCommon: false } f)
            {
                if (found is not null && !ReferenceEquals(found, f))
                {
                    return null;
                }

                found = f;
            }
        }

        return found;
    }

    private static bool IsGetter(string bare, string fieldName) =>
        bare.StartsWith("__get_", StringComparison.Ordinal) && bare.EndsWith("(" + fieldName + ")", StringComparison.Ordinal)
        && !bare.Contains("_len(", StringComparison.Ordinal)
        && Identifier(bare, 6)?.Length == bare.Length - 6 - fieldName.Length - 2;

    /// <summary>Strips outer parentheses and leading casts: "((unsignedlong)(REC->x))" to "REC->x".</summary>
    private static string PeelCasts(string s)
    {
        while (s.Length > 0 && s[0] == '(')
        {
            int close = Matching(s, 0);
            if (close == s.Length - 1)
            {
                s = s[1..^1];
            }
            else if (close > 0 && IsTypeName(s.AsSpan(1, close - 1)))
            {
                s = s[(close + 1)..];
            }
            else
            {
                break;
            }
        }

        return s;
    }

    /// <summary>Removes every "(typename)" group, wherever it stands.</summary>
    private static string RemoveTypeCasts(string s)
    {
        var kept = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '(')
            {
                int close = s.IndexOf(')', i);
                if (close > i + 1 && IsTypeName(s.AsSpan(i + 1, close - i - 1)))
                {
                    i = close;
                    continue;
                }
            }

            kept.Append(s[i]);
        }

        return kept.ToString();
    }

    private static bool IsTypeName(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || !char.IsLetter(s[0]))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsLetterOrDigit(c) && c is not '_' and not '*')
            {
                return false;
            }
        }

        return true;
    }

    private static int Matching(string s, int open)
    {
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '(')
            {
                depth++;
            }
            else if (s[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string? Identifier(string s, int start)
    {
        int end = start;
        while (end < s.Length && (char.IsLetterOrDigit(s[end]) || s[end] == '_'))
        {
            end++;
        }

        return end > start ? s[start..end] : null;
    }

    private static int SkipQuoted(string s, int start)
    {
        char quote = s[start];
        for (int i = start + 1; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == quote)
            {
                return i;
            }
        }

        return s.Length;
    }
}
