using System.Text;

namespace PSTrace.Core.Records;

/// <summary>Joins arguments the way a POSIX shell reads them back: plain words as they are, others in single quotes.</summary>
public static class ShellQuoting
{
    public static string Join(IEnumerable<string?> arguments) => string.Join(' ', arguments.Select(Quote));

    /// <summary>An argument that could not be read shows as "?".</summary>
    public static string Quote(string? argument)
    {
        if (argument is null)
        {
            return "?";
        }

        if (argument.Length > 0 && argument.All(IsPlain))
        {
            return argument;
        }

        var sb = new StringBuilder("'");
        foreach (char c in argument)
        {
            sb.Append(c == '\'' ? "'\\''" : c.ToString());
        }

        return sb.Append('\'').ToString();
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ',' or ':' or '=' or '+' or '@' or '%';
}
