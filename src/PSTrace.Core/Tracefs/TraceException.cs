namespace PSTrace.Core.Tracefs;

/// <summary>
/// An engine failure a person can act on: an ErrorId for scripts, the kind for the error category,
/// and the fix, in words, when there is one.
/// </summary>
public class TraceException : Exception
{
    public TraceException(TraceErrorKind kind, string errorId, string message, string? fix = null, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Fix = fix;
        Target = target;
    }

    public TraceErrorKind Kind { get; }
    public string ErrorId { get; }

    /// <summary>What to do about it (becomes the ErrorRecord's recommended action).</summary>
    public string? Fix { get; }

    /// <summary>The input that failed (event name, file, definition).</summary>
    public object? Target { get; }
}
