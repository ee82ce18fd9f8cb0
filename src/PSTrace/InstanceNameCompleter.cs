using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>Completes the names of existing tracefs instances.</summary>
public sealed class InstanceNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        IEnumerable<string> names;
        try
        {
            names = Tracefs.Open(mount: false).InstanceNames().ToList();
        }
        catch (TraceException)
        {
            yield break;
        }

        foreach (string name in names.Where(n => pattern.IsMatch(n)))
        {
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
