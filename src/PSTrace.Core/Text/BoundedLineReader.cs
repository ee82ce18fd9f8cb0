using System.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Text;

/// <summary>
/// Lines of a saved trace, each at most <see cref="MaxLineLength"/> characters, with a cancellation looked
/// at for every block read. StreamReader.ReadLine would hold a line of any length in memory (a 50 MB file
/// without a newline took 452 MB) and could not be stopped inside it.
/// </summary>
internal sealed class BoundedLineReader : TextReader
{
    /// <summary>
    /// Far above any trace line: the kernel prints an event into one page (4 KB here), and trace-cmd
    /// report's longest lines (arrays, hex dumps) stay in the tens of KB.
    /// </summary>
    public const int MaxLineLength = 1 << 20;

    public const string TooLongErrorId = "TraceLineTooLong";

    private readonly StreamReader _reader;
    private readonly string _path;
    private readonly CancellationToken _token;
    private readonly char[] _block = new char[64 * 1024];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;
    private bool _ended;

    public BoundedLineReader(Stream stream, string path, CancellationToken token)
    {
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        _path = path;
        _token = token;
    }

    /// <summary>Lines read so far (the number of the line being read, for errors).</summary>
    public long LineNumber { get; private set; }

    /// <exception cref="TraceException">TraceLineTooLong.</exception>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public override string? ReadLine()
    {
        _line.Clear();
        while (true)
        {
            if (_start == _end && !Fill())
            {
                return _line.Length > 0 ? Take(_line.Length) : null;
            }

            int newline = Array.IndexOf(_block, '\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            if (_line.Length + (stop - _start) > MaxLineLength)
            {
                throw TooLong();
            }

            _line.Append(_block, _start, stop - _start);
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Take(_line.Length);
            }
        }
    }

    private string Take(int length)
    {
        LineNumber++;
        if (length > 0 && _line[length - 1] == '\r')
        {
            length--;
        }

        return _line.ToString(0, length);
    }

    private bool Fill()
    {
        _token.ThrowIfCancellationRequested();
        if (_ended)
        {
            return false;
        }

        _start = 0;
        _end = _reader.Read(_block, 0, _block.Length);
        _ended = _end == 0;
        return !_ended;
    }

    private TraceException TooLong() => new(TraceErrorKind.InvalidData, TooLongErrorId,
        $"{_path}: line {LineNumber + 1} is longer than {MaxLineLength:N0} characters, which no trace line is; reading stopped there.",
        "Check that the file is trace text (cat trace, trace_pipe or trace-cmd report); the records before that line were written.", _path);

    /// <summary>
    /// The next character; -1 at the end, or, for a named pipe, when nothing more has come yet (StreamReader's
    /// Peek does not wait once a read came back short).
    /// </summary>
    public override int Peek() => _start < _end ? _block[_start] : _reader.Peek();

    public override int Read() => throw new NotSupportedException("Saved traces are read by line.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }

        base.Dispose(disposing);
    }
}
