using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace.Commands;

/// <summary>Get-TraceInstance: lists tracefs instances, with their state and, for PSTrace sessions, their owner.</summary>
[Cmdlet(VerbsCommon.Get, "TraceInstance")]
[OutputType(typeof(TraceInstance))]
public sealed class GetTraceInstanceCommand : TraceCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string[] Name { get; set; } = { "*" };

    protected override void ProcessRecord()
    {
        List<string> names = Guard(() => Fs.InstanceNames().ToList());
        foreach (string pattern in Name)
        {
            var wildcard = new WildcardPattern(pattern, WildcardOptions.None);
            var matches = names.Where(n => wildcard.IsMatch(n)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                WriteError(ErrorRecords.From(new TraceException(TraceErrorKind.NotFound, "InstanceNotFound", $"There is no instance named '{pattern}'.", null, pattern)));
            }

            foreach (string name in matches)
            {
                TryItem(() => WriteObject(Instances.Describe(Fs, name)));
            }
        }
    }
}
