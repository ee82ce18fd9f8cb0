namespace PSTrace.Core.Binary;

/// <summary>
/// Binary trace data (a ring-buffer page or a trace.dat file) is truncated or corrupt.
/// The message says what was expected and where; <see cref="Offset"/> is that place.
/// </summary>
public sealed class TraceDataException : Exception
{
    public TraceDataException(string message, long offset)
        : base(message + " (at offset 0x" + offset.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ")")
    {
        Offset = offset;
    }

    public TraceDataException(string message, long offset, Exception innerException)
        : base(message + " (at offset 0x" + offset.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ")", innerException)
    {
        Offset = offset;
    }

    /// <summary>Where the problem is: a file offset for trace.dat, a byte offset into the page stream for raw pages.</summary>
    public long Offset { get; }
}
