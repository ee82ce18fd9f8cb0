namespace PSTrace.Core.Records;

/// <summary>
/// Something a watch tool has to tell the person watching, in the stream of its records: a field it cannot
/// know on this kernel, events it could not pair. Cmdlets write it as a warning (or verbose text), not as output.
/// </summary>
public sealed class WatchNotice
{
    public WatchNotice(string message, bool isWarning = true)
    {
        Message = message;
        IsWarning = isWarning;
    }

    public string Message { get; }

    /// <summary>True for a warning; false for detail only -Verbose shows.</summary>
    public bool IsWarning { get; }

    public override string ToString() => Message;
}
