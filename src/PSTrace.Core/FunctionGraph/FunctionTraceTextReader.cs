using System.Diagnostics.CodeAnalysis;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// Reads the function tracer's text ("comm-pid [cpu] flags ts: func &lt;-parent", with any of
/// record-tgid, irq-info off, latency-format, sym-offset, sym-addr, func_stack_trace, and the
/// "function:" lines of trace-cmd report) into <see cref="FunctionHit"/> records, and
/// <see cref="TraceLostEvents"/> where the kernel lost records.
/// </summary>
/// <remarks>
/// A hit is handed out when the next line shows its stack trace (func_stack_trace) is complete,
/// so the last hit of a live stream waits for one more line or <see cref="Complete"/>.
/// </remarks>
public sealed class FunctionTraceTextReader : ILineFedReader
{
    private const string StackTraceMark = "<stack trace>";

    private readonly StringPool _names = new();
    private readonly Queue<object> _ready = new();
    private FunctionHit? _pending;
    private List<string>? _frames;
    private bool _inStack;

    public long Lines { get; private set; }

    /// <summary>Lines that were neither hits, stacks, headers nor lost-event notes (other events' lines among them).</summary>
    public long UnrecognizedLines { get; private set; }

    public void AddLine(ReadOnlySpan<char> text)
    {
        Lines++;
        ReadOnlySpan<char> trimmed = text.Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#' || trimmed.StartsWith("cpus="))
        {
            return;
        }

        if (trimmed.StartsWith("=> "))
        {
            if (_inStack)
            {
                (_frames ??= new List<string>()).Add(_names.Get(trimmed[3..].Trim()));
            }
            else
            {
                UnrecognizedLines++;
            }

            return;
        }

        _inStack = false;
        if (trimmed.StartsWith("CPU:"))
        {
            FunctionGraphLine lost = FunctionGraphLineParser.ParseLostEvents(trimmed);
            if (lost.Kind == FunctionGraphLineKind.LostEvents)
            {
                Flush();
                _ready.Enqueue(new TraceLostEvents(lost.Cpu ?? -1, lost.Count));
                return;
            }
        }

        if (!LinePrefix.TryParseAnyLayout(text, out LinePrefix prefix))
        {
            UnrecognizedLines++;
            return;
        }

        ReadOnlySpan<char> body = text[prefix.TextStart..].Trim();
        if (body.StartsWith("function:"))
        {
            // trace-cmd report: "function:   vfs_read" (indented by its stack depth)
            body = body["function:".Length..].Trim();
        }

        if (body.SequenceEqual(StackTraceMark))
        {
            _inStack = _pending is not null && _pending.ProcessId == prefix.ProcessId;
            return;
        }

        if (body.IsEmpty || body.IndexOf(':') >= 0)
        {
            // another event's line ("name: fields")
            UnrecognizedLines++;
            return;
        }

        Flush();
        string? parent = null;
        int arrow = body.IndexOf(" <-");
        if (arrow >= 0)
        {
            ReadOnlySpan<char> caller = body[(arrow + 3)..].TrimStart('-').Trim();
            parent = caller.IsEmpty ? null : _names.Get(SymbolName(caller));
            body = body[..arrow];
        }

        _pending = new FunctionHit(
            _names.Get(SymbolName(body)),
            parent,
            prefix.Cpu,
            prefix.ProcessId,
            prefix.ThreadGroupId,
            _names.Get(text.Slice(prefix.CommStart, prefix.CommLength)),
            prefix.Timestamp,
            prefix.FlagsLength == 0 ? null : _names.Get(text.Slice(prefix.FlagsStart, prefix.FlagsLength)));
    }

    public void Complete() => Flush();

    /// <summary>The next record: a <see cref="FunctionHit"/> or a <see cref="TraceLostEvents"/>.</summary>
    public bool TryTake([NotNullWhen(true)] out object? record) => _ready.TryDequeue(out record);

    /// <summary>Reads a whole text to its end, yielding records as they are ready.</summary>
    public IEnumerable<object> Read(TextReader text) => LineFedReader.ReadAll(this, text);

    public static IEnumerable<object> ReadFile(string path)
    {
        using var text = new StreamReader(path);
        foreach (object record in new FunctionTraceTextReader().Read(text))
        {
            yield return record;
        }
    }

    private void Flush()
    {
        _inStack = false;
        if (_pending is null)
        {
            return;
        }

        FunctionHit hit = _pending;
        if (_frames is { Count: > 0 })
        {
            hit = new FunctionHit(hit.Function, hit.Parent, hit.Cpu, hit.ProcessId, hit.ThreadGroupId, hit.Command,
                hit.TimestampNanoseconds, hit.Flags, _frames.ToArray());
            _frames.Clear();
        }

        _ready.Enqueue(hit);
        _pending = null;
    }

    // "do_sys_openat2+0x0/0x170" (sym-offset), "do_sys_openat2 <ffffffff8b563fa0>" (sym-addr),
    // "p9_client_rpc [9pnet]": the name alone.
    private static ReadOnlySpan<char> SymbolName(ReadOnlySpan<char> symbol)
    {
        int end = symbol.IndexOfAny(' ', '+');
        return end > 0 ? symbol[..end] : symbol;
    }
}
