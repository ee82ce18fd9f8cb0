using System.Collections.ObjectModel;
using System.Globalization;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Core.Text;

/// <summary>
/// Reads single lines of trace / trace_pipe text. Holds the caches that make a line cheap
/// (pooled comm, flag and name strings; each event name looked up in the catalog once), so
/// one instance serves one stream.
/// </summary>
internal sealed class TraceLineParser
{
    private static readonly IReadOnlyDictionary<string, object?> NoFields = ReadOnlyDictionary<string, object?>.Empty;

    private readonly EventFormatCatalog? _catalog;
    private readonly StringPool _pool = new();
    private readonly Dictionary<string, EventFormat?> _formats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _syscallEnterNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _syscallExitNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _printsStrings = new(StringComparer.Ordinal);

    /// <summary>
    /// What the kernel prints in place of an event name for a trace_marker write (ftrace:print prints the
    /// function that logged it, "%ps: %s", and for trace_marker that is tracing_mark_write).
    /// </summary>
    private const string MarkerSymbol = "tracing_mark_write";

    public TraceLineParser(EventFormatCatalog? catalog) => _catalog = catalog;

    public static TraceLineKind Classify(string line, out LinePrefix prefix, out int cpu, out long? count)
    {
        prefix = default;
        cpu = 0;
        count = null;
        ReadOnlySpan<char> s = line;
        if (s.IsWhiteSpace())
        {
            return TraceLineKind.Blank;
        }

        if (s[0] == '#')
        {
            if (TryBufferStarted(s, out cpu))
            {
                return TraceLineKind.BufferStarted;
            }

            return TryEntriesHeader(s, out count) ? TraceLineKind.EntriesHeader : TraceLineKind.Comment;
        }

        if (s.StartsWith(" => ", StringComparison.Ordinal))
        {
            return TraceLineKind.StackFrame;
        }

        if (s.StartsWith("CPU:", StringComparison.Ordinal) && TryLost(s, out cpu, out count))
        {
            return TraceLineKind.Lost;
        }

        if (!LinePrefix.TryParse(s, out prefix))
        {
            return TraceLineKind.Unknown;
        }

        ReadOnlySpan<char> text = s[prefix.TextStart..];
        return text is "<stack trace>" or "<user stack trace>" ? TraceLineKind.StackStart : TraceLineKind.Event;
    }

    /// <summary>An event line: name and body split, fields decoded when the catalog knows the event.</summary>
    public TraceEvent MakeEvent(string line, in LinePrefix prefix)
    {
        ReadOnlySpan<char> text = line.AsSpan(prefix.TextStart);
        int k = text.IndexOfAny(':', '(', ' ');
        if (k > 0 && text[k] == ':' && (k + 1 == text.Length || text[k + 1] == ' '))
        {
            string name = _pool.Get(text[..k]);
            string body = k + 2 <= text.Length ? line[(prefix.TextStart + k + 2)..] : "";
            if (name == MarkerSymbol)
            {
                return MakeMarker(line, prefix, body);
            }

            EventFormat? format = Find(name);
            IReadOnlyDictionary<string, object?> fields = format is null ? NoFields : EventBodyDecoder.Decode(format, body);
            return Make(line, prefix, format?.System ?? "", name, fields, body);
        }

        if (k > 4 && text.StartsWith("sys_", StringComparison.Ordinal)
            && (text[k] == '(' || text[k..].StartsWith(" -> ", StringComparison.Ordinal)))
        {
            // Syscall events print through their own function: "sys_openat(dfd: ..., ...)" and "sys_openat -> 0x3".
            bool enter = text[k] == '(';
            string name = SyscallEventName(_pool.Get(text[..k]), enter);
            EventFormat? format = Find(name);
            string body = line[prefix.TextStart..];
            return Make(line, prefix, format?.System ?? "syscalls", name, SyscallBody.Decode(text[k..], enter, format, _pool), body);
        }

        if (k > 0 && text[k..].StartsWith(" <-", StringComparison.Ordinal))
        {
            // The function tracer: "func <-parent".
            var fields = new Dictionary<string, object?>(2, StringComparer.Ordinal)
            {
                ["ip"] = _pool.Get(text[..k]),
                ["parent_ip"] = _pool.Get(text[(k + 3)..].Trim()),
            };
            return Make(line, prefix, "ftrace", "function", fields, line[prefix.TextStart..]);
        }

        return Make(line, prefix, "", "", NoFields, line[prefix.TextStart..]);
    }

    /// <summary>
    /// True when the event on <paramref name="line"/> has text the kernel prints as it is, which a newline
    /// carries on to the next lines: a string field in its format, or the text of a trace_marker write.
    /// </summary>
    public bool PrintsStrings(string line, in LinePrefix prefix)
    {
        ReadOnlySpan<char> text = line.AsSpan(prefix.TextStart);
        int k = text.IndexOfAny(':', '(', ' ');
        if (k <= 0 || text[k] != ':')
        {
            return false;
        }

        string name = _pool.Get(text[..k]);
        if (!_printsStrings.TryGetValue(name, out bool prints))
        {
            prints = name == MarkerSymbol || Find(name)?.Fields.Any(f => f.IsString) == true;
            _printsStrings[name] = prints;
        }

        return prints;
    }

    /// <summary>
    /// A trace_marker write, named as the binary pages name it (ftrace:print, its text in buf), so that one name
    /// serves both. The kernel ends buf with a newline (adding one when the write had none), which ends the
    /// printed line; ip is the symbol printed, as the address is not.
    /// </summary>
    private TraceEvent MakeMarker(string line, in LinePrefix prefix, string body)
    {
        var fields = new Dictionary<string, object?>(2, StringComparer.Ordinal)
        {
            ["ip"] = MarkerSymbol,
            ["buf"] = body + "\n",
        };
        return Make(line, prefix, "ftrace", "print", fields, body);
    }

    /// <summary>A "&lt;stack trace&gt;" line and its frames as one event; Fields["stack"] is the frames (string[]).</summary>
    public TraceEvent MakeStack(string firstLine, in LinePrefix prefix, List<string> frameLines)
    {
        string body = firstLine[prefix.TextStart..];
        var frames = new string[frameLines.Count];
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i] = frameLines[i].AsSpan(" => ".Length).Trim().ToString();
        }

        string all = frameLines.Count == 0 ? firstLine : firstLine + "\n" + string.Join("\n", frameLines);
        var fields = new Dictionary<string, object?>(1, StringComparer.Ordinal) { ["stack"] = frames };
        string name = body == "<user stack trace>" ? "user_stack" : "kernel_stack";
        return Make(all, prefix, "ftrace", name, fields, body);
    }

    /// <summary>A line that is not trace output: Name empty, Cpu -1, Body and Line the line itself.</summary>
    public static TraceEvent MakeUnknown(string line) => new(0, -1, 0, null, "", "", "", "", NoFields, line, line);

    private TraceEvent Make(string line, in LinePrefix p, string system, string name, IReadOnlyDictionary<string, object?> fields, string body)
    {
        string comm = _pool.Get(line.AsSpan(p.CommStart, p.CommLength));
        string flags = p.FlagsLength == 0 ? "" : _pool.Get(line.AsSpan(p.FlagsStart, p.FlagsLength));
        return new TraceEvent(p.Timestamp, p.Cpu, p.ProcessId, p.ThreadGroupId, comm, flags, system, name, fields, body, line);
    }

    private EventFormat? Find(string name)
    {
        if (_catalog is null)
        {
            return null;
        }

        if (!_formats.TryGetValue(name, out EventFormat? format))
        {
            format = _catalog.Find(name);
            _formats[name] = format;
        }

        return format;
    }

    /// <summary>"sys_openat" printed on enter is the event sys_enter_openat; on exit, sys_exit_openat.</summary>
    private string SyscallEventName(string printed, bool enter)
    {
        Dictionary<string, string> names = enter ? _syscallEnterNames : _syscallExitNames;
        if (!names.TryGetValue(printed, out string? name))
        {
            name = (enter ? "sys_enter_" : "sys_exit_") + printed["sys_".Length..];
            names[printed] = name;
        }

        return name;
    }

    private static bool TryBufferStarted(ReadOnlySpan<char> s, out int cpu)
    {
        cpu = 0;
        const string Head = "##### CPU ";
        if (!s.StartsWith(Head, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = s[Head.Length..];
        int space = rest.IndexOf(' ');
        return space > 0 && rest[space..].StartsWith(" buffer started", StringComparison.Ordinal)
            && int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out cpu);
    }

    /// <summary>"# entries-in-buffer/entries-written: 221/17801   #P:2": the count is written minus in buffer.</summary>
    private static bool TryEntriesHeader(ReadOnlySpan<char> s, out long? overwritten)
    {
        overwritten = null;
        const string Key = "entries-in-buffer/entries-written:";
        int at = s.IndexOf(Key, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        ReadOnlySpan<char> rest = s[(at + Key.Length)..].TrimStart(' ');
        int slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        int end = slash + 1;
        while (end < rest.Length && char.IsAsciiDigit(rest[end]))
        {
            end++;
        }

        if (!long.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out long inBuffer)
            || !long.TryParse(rest[(slash + 1)..end], NumberStyles.None, CultureInfo.InvariantCulture, out long written))
        {
            return false;
        }

        overwritten = written - inBuffer;
        return true;
    }

    /// <summary>"CPU:%d [LOST %lu EVENTS]" or "CPU:%d [LOST EVENTS]" (trace_output.c, print_trace_line).</summary>
    private static bool TryLost(ReadOnlySpan<char> s, out int cpu, out long? count)
    {
        cpu = 0;
        count = null;
        ReadOnlySpan<char> rest = s["CPU:".Length..];
        int space = rest.IndexOf(' ');
        if (space <= 0 || !int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out cpu))
        {
            return false;
        }

        rest = rest[(space + 1)..].TrimEnd();
        if (rest is "[LOST EVENTS]")
        {
            return true;
        }

        if (!rest.StartsWith("[LOST ", StringComparison.Ordinal) || !rest.EndsWith(" EVENTS]", StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> n = rest["[LOST ".Length..^" EVENTS]".Length];
        if (!long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out long c))
        {
            return false;
        }

        count = c;
        return true;
    }
}
