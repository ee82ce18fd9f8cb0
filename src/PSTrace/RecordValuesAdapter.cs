using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;

namespace PSTrace;

/// <summary>
/// Shows a record's own values as properties ($e.filename on a TraceEvent, $hit.node on a ProbeHit)
/// without giving every object a set of note properties: PowerShell asks this adapter (registered
/// for both types in PSTrace.types.ps1xml) only when a property is used. The record's .NET
/// properties come first; a value whose name one of them already has stays in Fields/Arguments only.
/// </summary>
public sealed class RecordValuesAdapter : PSPropertyAdapter
{
    private static readonly Dictionary<Type, PropertyInfo[]> ClrProperties = new()
    {
        [typeof(TraceEvent)] = typeof(TraceEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance),
        [typeof(ProbeHit)] = typeof(ProbeHit).GetProperties(BindingFlags.Public | BindingFlags.Instance),
    };

    public override Collection<PSAdaptedProperty> GetProperties(object baseObject)
    {
        var result = new Collection<PSAdaptedProperty>();
        PropertyInfo[] clr = ClrOf(baseObject);
        foreach (PropertyInfo p in clr)
        {
            result.Add(new PSAdaptedProperty(p.Name, p));
        }

        foreach (KeyValuePair<string, object?> value in ValuesOf(baseObject))
        {
            if (!clr.Any(p => string.Equals(p.Name, value.Key, StringComparison.OrdinalIgnoreCase)))
            {
                result.Add(new PSAdaptedProperty(value.Key, value.Key));
            }
        }

        return result;
    }

    public override PSAdaptedProperty? GetProperty(object baseObject, string propertyName)
    {
        PropertyInfo? clr = ClrOf(baseObject).FirstOrDefault(p => string.Equals(p.Name, propertyName, StringComparison.OrdinalIgnoreCase));
        if (clr is not null)
        {
            return new PSAdaptedProperty(clr.Name, clr);
        }

        IReadOnlyDictionary<string, object?> values = ValuesOf(baseObject);
        if (values.ContainsKey(propertyName))
        {
            return new PSAdaptedProperty(propertyName, propertyName);
        }

        // Field names are the kernel's, case-sensitive; PowerShell's are not: accept any case.
        string? match = values.Keys.FirstOrDefault(k => string.Equals(k, propertyName, StringComparison.OrdinalIgnoreCase));
        return match is null ? null : new PSAdaptedProperty(match, match);
    }

    public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

    public override bool IsSettable(PSAdaptedProperty adaptedProperty) => false;

    public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty) => adaptedProperty.Tag switch
    {
        PropertyInfo p => p.GetValue(adaptedProperty.BaseObject),
        string key => ValuesOf(adaptedProperty.BaseObject).GetValueOrDefault(key),
        _ => null,
    };

    public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value) =>
        throw new NotSupportedException("Trace records are read-only.");

    public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty) => adaptedProperty.Tag switch
    {
        PropertyInfo p => p.PropertyType.FullName ?? p.PropertyType.Name,
        _ => (GetPropertyValue(adaptedProperty)?.GetType() ?? typeof(object)).FullName ?? "System.Object",
    };

    private static PropertyInfo[] ClrOf(object baseObject) =>
        ClrProperties.TryGetValue(baseObject.GetType(), out PropertyInfo[]? props) ? props : Array.Empty<PropertyInfo>();

    private static IReadOnlyDictionary<string, object?> ValuesOf(object baseObject) => baseObject switch
    {
        TraceEvent ev => ev.Fields,
        ProbeHit hit => hit.Arguments,
        _ => EmptyValues,
    };

    private static readonly IReadOnlyDictionary<string, object?> EmptyValues = new Dictionary<string, object?>();
}
