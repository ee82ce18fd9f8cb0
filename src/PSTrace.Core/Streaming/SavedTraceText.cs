using PSTrace.Core.Text;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// A saved trace text, looked at before it is read: which tracer wrote it (<see cref="TraceFormatSniffer"/>),
/// and whether it is trace text at all. Reading it counts the lines of no known shape, which come through
/// as events with an empty Name, so a caller can say so once.
/// </summary>
public sealed class SavedTraceText
{
    private readonly TextReader _text;

    private SavedTraceText(TextReader text, TraceTextFormat format)
    {
        _text = text;
        Format = format;
    }

    public TraceTextFormat Format { get; }

    /// <summary>Lines read so far that match no known shape (kept as records with an empty Name and Cpu -1).</summary>
    public long UnknownLines { get; private set; }

    /// <summary>Reads the first lines of <paramref name="text"/> and decides how to read it.</summary>
    /// <param name="path">The file's name, for the error.</param>
    /// <exception cref="TraceException">TraceFileNotTrace: no ftrace header and no line of any known shape in the first lines.</exception>
    public static SavedTraceText Sniff(TextReader text, string path)
    {
        (List<string> head, TraceException? tooLong) = HeadUntilTooLong(text);
        if (!TraceFormatSniffer.HasTraceShape(head))
        {
            throw NotTrace(path, head.Count);
        }

        return new SavedTraceText(new ReplayTextReader(head, text, tooLong), TraceFormatSniffer.Detect(head));
    }

    /// <summary>As <see cref="Sniff"/>, without refusing anything: for text already known to be a trace.</summary>
    internal static SavedTraceText Look(TextReader text)
    {
        List<string> head = Head(text);
        return new SavedTraceText(new ReplayTextReader(head, text), TraceFormatSniffer.Detect(head));
    }

    private static List<string> Head(TextReader text)
    {
        var head = new List<string>(TraceFormatSniffer.LinesToRead);
        while (head.Count < TraceFormatSniffer.LinesToRead && text.ReadLine() is { } line)
        {
            head.Add(line);
        }

        return head;
    }

    /// <summary>
    /// The first lines, up to one too long to be a trace line: that refusal comes when the reading gets
    /// there, after the records before it (the replay throws it), unless the lines before it are no trace.
    /// </summary>
    private static (List<string> Head, TraceException? TooLong) HeadUntilTooLong(TextReader text)
    {
        var head = new List<string>(TraceFormatSniffer.LinesToRead);
        try
        {
            while (head.Count < TraceFormatSniffer.LinesToRead && text.ReadLine() is { } line)
            {
                head.Add(line);
            }
        }
        catch (TraceException e) when (e.ErrorId == BoundedLineReader.TooLongErrorId)
        {
            return (head, e);
        }

        return (head, null);
    }

    /// <summary>The refusal of a file that is neither a trace.dat nor trace text.</summary>
    public static TraceException NotTrace(string path, int linesLookedAt) => new(TraceErrorKind.InvalidData, "TraceFileNotTrace",
        linesLookedAt == 0
            ? $"{path} is neither a trace.dat file nor trace text: it is binary data."
            : $"{path} is neither a trace.dat file nor trace text: none of its first {linesLookedAt} line(s) has an ftrace header or the shape of a trace line.",
        "Give a trace-cmd trace.dat file, or text saved from tracefs's trace or trace_pipe (or trace-cmd report).", path);

    /// <param name="catalog">Event formats, for the fields of events; null to parse line shapes only.</param>
    /// <param name="flat">function_graph: one record per call rather than one per tree.</param>
    public IEnumerable<object> Read(EventFormatCatalog? catalog = null, bool flat = false) => Counted(SavedTraceReader.ReadAs(Format, _text, catalog, flat));

    /// <summary>The text read as <paramref name="format"/>'s output, whatever its first lines looked like.</summary>
    public IEnumerable<object> ReadAs(TraceTextFormat format, EventFormatCatalog? catalog = null, bool flat = false) =>
        Counted(SavedTraceReader.ReadAs(format, _text, catalog, flat));

    /// <summary>The events as they are, whatever tracer wrote the text (a watch tool correlates them itself).</summary>
    /// <param name="catalog">Event formats, for the fields of events; null to parse line shapes only.</param>
    public IEnumerable<object> ReadEvents(EventFormatCatalog? catalog = null) => Counted(TraceTextReader.Read(_text, catalog));

    private IEnumerable<object> Counted(IEnumerable<object> records)
    {
        foreach (object record in records)
        {
            if (record is TraceEvent { Cpu: -1, Name.Length: 0 })
            {
                UnknownLines++;
            }

            yield return record;
        }
    }

    /// <summary>The lines already read to look at, then the rest of the text.</summary>
    private sealed class ReplayTextReader : TextReader
    {
        private readonly List<string> _head;
        private readonly TextReader _rest;
        private readonly TraceException? _stop;
        private int _next;

        public ReplayTextReader(List<string> head, TextReader rest, TraceException? stop = null)
        {
            _head = head;
            _rest = rest;
            _stop = stop;
        }

        public override string? ReadLine() => _next < _head.Count ? _head[_next++] : _stop is not null ? throw _stop : _rest.ReadLine();

        /// <summary>Whether more text follows (the text reader holds an event until it knows its continuation lines are all read).</summary>
        public override int Peek() => _next < _head.Count ? (_head[_next].Length > 0 ? _head[_next][0] : '\n')
            : _stop is not null ? 0 : _rest.Peek();

        public override int Read() => throw new NotSupportedException("Saved traces are read by line.");

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
