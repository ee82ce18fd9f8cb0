using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>Completes the names of existing kprobes and uprobes (Get-TraceProbe, Remove-TraceProbe -Name).</summary>
public sealed class ProbeNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<TraceProbe> probes;
        try
        {
            probes = ProbeEvents.List(Tracefs.Open(mount: false));
        }
        catch (TraceException)
        {
            return [];
        }

        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.None);
        return probes.Where(p => pattern.IsMatch(p.Name)).Select(p => p.Name).Distinct(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
