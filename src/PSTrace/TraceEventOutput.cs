using System.Management.Automation;
using PSTrace.Core.Records;

namespace PSTrace;

/// <summary>
/// Wraps a TraceEvent so its fields read as properties ($e.filename), the way Get-WinEvent's
/// users expect; a field whose name a TraceEvent property already has stays in Fields only.
/// </summary>
internal static class TraceEventOutput
{
    public static object Wrap(object record)
    {
        if (record is not TraceEvent ev || ev.Fields.Count == 0)
        {
            return record;
        }

        var pso = PSObject.AsPSObject(ev);
        foreach (KeyValuePair<string, object?> field in ev.Fields)
        {
            if (pso.Properties[field.Key] is null)
            {
                pso.Properties.Add(new PSNoteProperty(field.Key, field.Value));
            }
        }

        return pso;
    }
}
