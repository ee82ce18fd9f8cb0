using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>Completes system:event names from available_events.</summary>
public sealed class EventNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        IReadOnlyList<EventId> events;
        try
        {
            events = AvailableEvents.List(Tracefs.Open(mount: false));
        }
        catch (TraceException)
        {
            yield break;
        }

        foreach (EventId id in events)
        {
            string full = id.ToString();
            if (pattern.IsMatch(full) || pattern.IsMatch(id.Name))
            {
                yield return new CompletionResult(full, full, CompletionResultType.ParameterValue, full);
            }
        }
    }
}
