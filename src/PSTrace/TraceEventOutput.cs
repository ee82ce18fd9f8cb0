namespace PSTrace;

/// <summary>
/// Records go to the pipeline as they are: their own values (an event's fields, a probe hit's
/// arguments) read as properties through <see cref="RecordValuesAdapter"/>, registered for their
/// types in PSTrace.types.ps1xml, so no per-object property set is built.
/// </summary>
internal static class TraceEventOutput
{
    public static object Wrap(object record) => record;
}
