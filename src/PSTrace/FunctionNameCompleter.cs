using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// Completes kernel function names from available_filter_functions: the functions ftrace can trace.
/// Where it cannot be read (not root, lockdown) there is nothing to offer, and nothing is guessed.
/// </summary>
public sealed class FunctionNameCompleter : IArgumentCompleter
{
    private const int MaxResults = 500;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.None);
        IEnumerable<string> lines;
        try
        {
            string? root = TracefsLocator.Find();
            if (root is null)
            {
                return [];
            }

            lines = File.ReadLines(Path.Combine(root, "available_filter_functions"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return Matches(lines, pattern);
    }

    private static IEnumerable<CompletionResult> Matches(IEnumerable<string> lines, WildcardPattern pattern)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerator<string> e;
        try
        {
            e = lines.GetEnumerator();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        using (e)
        {
            while (seen.Count < MaxResults)
            {
                try
                {
                    if (!e.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    yield break;
                }

                // "name" or "name [module]"
                string line = e.Current;
                int space = line.IndexOf(' ');
                string name = space > 0 ? line[..space] : line;
                if (name.Length > 0 && pattern.IsMatch(name) && seen.Add(name))
                {
                    yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, line);
                }
            }
        }
    }
}
