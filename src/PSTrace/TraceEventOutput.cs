using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;

namespace PSTrace;

/// <summary>
/// Wraps a record so its own values read as properties ($e.filename, $hit.line), the way
/// Get-WinEvent's users expect: a TraceEvent's fields, a ProbeHit's arguments. A name that a
/// property of the record already has stays in Fields/Arguments only.
/// </summary>
internal static class TraceEventOutput
{
    public static object Wrap(object record) => record switch
    {
        TraceEvent { Fields.Count: > 0 } ev => WithNotes(ev, ev.Fields),
        ProbeHit { Arguments.Count: > 0 } hit => WithNotes(hit, hit.Arguments),
        _ => record,
    };

    private static PSObject WithNotes(object record, IEnumerable<KeyValuePair<string, object?>> values)
    {
        var pso = PSObject.AsPSObject(record);
        foreach (KeyValuePair<string, object?> value in values)
        {
            if (pso.Properties[value.Key] is null)
            {
                pso.Properties.Add(new PSNoteProperty(value.Key, value.Value));
            }
        }

        return pso;
    }
}
