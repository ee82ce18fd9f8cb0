using PSTrace.Core.Records;

namespace PSTrace.Core.Text;

/// <summary>
/// The last record read from trace text, held until the lines after it show that it is complete. The kernel
/// prints a string as it is, so a newline in it (a trace_marker write of several lines, a probe's string, a
/// file name) ends the trace line and the rest of the string comes on lines of their own; a stack trace's
/// frames come on " =&gt; " lines. Those lines are joined to their record here, so that the string reads
/// whole, as it does from the binary pages, and no reader after this one sees a line that is no event.
/// </summary>
/// <remarks>
/// <para>Only an event that has such text (a string field in its format, or the trace_marker text) takes
/// lines: elsewhere a line that is no trace line is text of its own (a note in a saved file) and stays so.</para>
/// <para>Blank lines after an event are kept back: they belong to its string only when a line of its text follows
/// them (a string "a\n\nb"); at the end of the record they say nothing and are dropped.</para>
/// </remarks>
internal sealed class PendingTraceLines
{
    private readonly TraceLineParser _parser;
    private readonly List<string> _more = [];
    private readonly List<string> _blanks = [];
    private string? _first;
    private LinePrefix _prefix;
    private bool _stack;
    private bool? _printsStrings;

    public PendingTraceLines(TraceLineParser parser) => _parser = parser;

    public bool IsHolding => _first is not null;

    /// <summary>Holds the first line of an event or a stack trace; what was held before must have been taken.</summary>
    public void Hold(string line, in LinePrefix prefix, TraceLineKind kind)
    {
        _first = line;
        _prefix = prefix;
        _stack = kind == TraceLineKind.StackStart;
        _printsStrings = null;
    }

    /// <summary>True when <paramref name="line"/> goes on with the held record and was taken in.</summary>
    public bool TryContinue(string line, TraceLineKind kind)
    {
        if (_first is null)
        {
            return false;
        }

        if (_stack)
        {
            if (kind != TraceLineKind.StackFrame)
            {
                return false;
            }

            _more.Add(line);
            return true;
        }

        if (kind is TraceLineKind.Blank or TraceLineKind.Unknown or TraceLineKind.StackFrame)
        {
            _printsStrings ??= _parser.PrintsStrings(_first, _prefix);
        }

        switch (kind)
        {
            case TraceLineKind.Blank when _printsStrings == true:
                _blanks.Add(line);
                return true;
            case TraceLineKind.Unknown or TraceLineKind.StackFrame when _printsStrings == true:
                _more.AddRange(_blanks);
                _blanks.Clear();
                _more.Add(line);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The held record, complete as far as the text went; null when nothing is held.</summary>
    public TraceEvent? Take()
    {
        if (_first is null)
        {
            return null;
        }

        TraceEvent record = _stack ? _parser.MakeStack(_first, _prefix, _more)
            : _parser.MakeEvent(_more.Count == 0 ? _first : _first + "\n" + string.Join('\n', _more), _prefix);
        _first = null;
        _more.Clear();
        _blanks.Clear();
        return record;
    }
}
