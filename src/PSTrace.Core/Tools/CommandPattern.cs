using System.Text;
using System.Text.RegularExpressions;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools;

/// <summary>
/// A command-name pattern the PowerShell way (*, ?, [abc], [a-z]; case-insensitive), matched against a
/// task's comm both in the kernel (as a glob in an event filter on COMM) and in user space.
/// </summary>
/// <remarks>
/// The kernel's glob is case-sensitive, so each letter becomes a class of both cases ("[tT][rR]...").
/// A comm holds at most 15 characters: a name without wildcards that is longer is cut to 15, as the
/// kernel cuts the comm, so "systemd-journald" still finds "systemd-journal".
/// </remarks>
public sealed class CommandPattern
{
    /// <summary>TASK_COMM_LEN - 1: the longest comm the kernel keeps.</summary>
    public const int MaxCommandLength = 15;

    private readonly Regex _regex;

    private CommandPattern(string text, string glob, Regex regex)
    {
        Text = text;
        KernelGlob = glob;
        _regex = regex;
    }

    /// <summary>The pattern as given.</summary>
    public string Text { get; }

    /// <summary>The case-insensitive glob written into the kernel filter.</summary>
    public string KernelGlob { get; }

    public static CommandPattern Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        foreach (char c in text)
        {
            if (c is '"' or '\'' or '\\' || char.IsControl(c))
            {
                throw new TraceException(TraceErrorKind.InvalidArgument, "InvalidCommandPattern",
                    $"The command name pattern '{text}' contains '{c}', which a kernel filter cannot hold.",
                    "Use letters, digits, punctuation other than quotes and backslashes, and the wildcards * ? [ ].", text);
            }
        }

        string effective = text.IndexOfAny(['*', '?', '[']) < 0 && text.Length > MaxCommandLength ? text[..MaxCommandLength] : text;
        var glob = new StringBuilder();
        var regex = new StringBuilder("^");
        for (int i = 0; i < effective.Length; i++)
        {
            char c = effective[i];
            switch (c)
            {
                case '*':
                    glob.Append('*');
                    regex.Append(".*");
                    break;
                case '?':
                    glob.Append('?');
                    regex.Append('.');
                    break;
                case '[':
                    int close = effective.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        throw new TraceException(TraceErrorKind.InvalidArgument, "InvalidCommandPattern",
                            $"The command name pattern '{text}' opens a '[' that is not closed.", "Close the character class with ']'.", text);
                    }

                    (string g, string r) = CharacterClass(effective[(i + 1)..close]);
                    glob.Append(g);
                    regex.Append(r);
                    i = close;
                    break;
                case '`' when i + 1 < effective.Length:
                    i++;
                    AppendLiteral(effective[i], glob, regex);
                    break;
                default:
                    AppendLiteral(c, glob, regex);
                    break;
            }
        }

        regex.Append('$');
        return new CommandPattern(text, glob.ToString(), new Regex(regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    public bool IsMatch(string command) => _regex.IsMatch(command);

    public override string ToString() => Text;

    private static void AppendLiteral(char c, StringBuilder glob, StringBuilder regex)
    {
        char lower = char.ToLowerInvariant(c), upper = char.ToUpperInvariant(c);
        if (lower != upper)
        {
            glob.Append('[').Append(lower).Append(upper).Append(']');
        }
        else if (c is '*' or '?' or '[' or ']')
        {
            glob.Append('[').Append(c).Append(']');
        }
        else
        {
            glob.Append(c);
        }

        regex.Append(Regex.Escape(c.ToString()));
    }

    /// <summary>[abc] or [a-z]: both cases of every letter and letter range.</summary>
    private static (string Glob, string Regex) CharacterClass(string inner)
    {
        var glob = new StringBuilder("[");
        var regex = new StringBuilder("[");
        for (int i = 0; i < inner.Length; i++)
        {
            if (i + 2 < inner.Length && inner[i + 1] == '-')
            {
                char from = inner[i], to = inner[i + 2];
                glob.Append(from).Append('-').Append(to);
                if (char.IsAsciiLetter(from) && char.IsAsciiLetter(to))
                {
                    char other = char.IsAsciiLetterLower(from) ? char.ToUpperInvariant(from) : char.ToLowerInvariant(from);
                    char otherTo = char.IsAsciiLetterLower(to) ? char.ToUpperInvariant(to) : char.ToLowerInvariant(to);
                    glob.Append(other).Append('-').Append(otherTo);
                }

                regex.Append(Regex.Escape(from.ToString())).Append('-').Append(Regex.Escape(to.ToString()));
                i += 2;
                continue;
            }

            char c = inner[i];
            char lower = char.ToLowerInvariant(c), upper = char.ToUpperInvariant(c);
            glob.Append(lower);
            if (lower != upper)
            {
                glob.Append(upper);
            }

            regex.Append(c is ']' or '\\' or '^' or '-' ? "\\" + c : c.ToString());
        }

        return (glob.Append(']').ToString(), regex.Append(']').ToString());
    }
}
