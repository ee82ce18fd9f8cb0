using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>Completes kernel function names (New-Kprobe -Function) from available_filter_functions or /proc/kallsyms.</summary>
public sealed class KernelFunctionCompleter : IArgumentCompleter
{
    /// <summary>More than this many matches helps nobody and makes the console wait.</summary>
    private const int MaxResults = 500;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        Tracefs? fs;
        try
        {
            fs = Tracefs.Open(mount: false);
        }
        catch (TraceException)
        {
            fs = null; // kallsyms is still there
        }

        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.None);
        return KernelFunctions.List(fs).Where(n => pattern.IsMatch(n)).Take(MaxResults)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
