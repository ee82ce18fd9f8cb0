namespace PSTrace.Core.Tracefs;

/// <summary>
/// trace_pipe as a TextReader, so the parser that reads saved files reads the live pipe too.
/// ReadLine returns null once the token is cancelled, or, after the drain token fired, once the pipe is empty.
/// </summary>
public sealed class TracePipeTextReader : TextReader
{
    private readonly TracePipeReader _pipe;
    private readonly IEnumerator<string> _lines;

    public TracePipeTextReader(TraceBuffer buffer, CancellationToken cancel, CancellationToken drain = default)
    {
        _pipe = new TracePipeReader(buffer);
        _lines = _pipe.ReadLines(cancel, drain).GetEnumerator();
    }

    public override string? ReadLine() => _lines.MoveNext() ? _lines.Current : null;

    /// <summary>-1 when the next line has not come whole yet (reading it would wait for the kernel); else its first character.</summary>
    public override int Peek() => _pipe.NextLineStart;

    public override int Read() => throw new NotSupportedException("trace_pipe is read by line.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lines.Dispose();
            _pipe.Dispose();
        }

        base.Dispose(disposing);
    }
}
