using System.Globalization;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.Tools;

/// <summary>Typed reads of an event's fields, for the correlators: a missing or faulted field reads as null.</summary>
internal static class EventFields
{
    public static long? Long(TraceEvent ev, string name) => ev.Fields.TryGetValue(name, out object? v) ? v switch
    {
        long l => l,
        ulong u => unchecked((long)u),
        int i => i,
        uint u => u,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) => parsed,
        _ => null,
    } : null;

    public static ulong? ULong(TraceEvent ev, string name) => Long(ev, name) is long l ? unchecked((ulong)l) : null;

    public static int? Int(TraceEvent ev, string name) => Long(ev, name) is long l ? unchecked((int)l) : null;

    /// <summary>A string field; null when absent or when the kernel could not fetch it ("(fault)").</summary>
    public static string? String(TraceEvent ev, string name) =>
        ev.Fields.TryGetValue(name, out object? v) && v is string s && s != EventBodyDecoder.Fault ? s : null;

    /// <summary>True when the kernel printed "(fault)" for the field: the memory could not be read.</summary>
    public static bool IsFault(TraceEvent ev, string name) =>
        ev.Fields.TryGetValue(name, out object? v) && v is string s && s == EventBodyDecoder.Fault;

    /// <summary>The text of a write to trace_marker (ftrace:print, from text or binary pages alike); null for other events.</summary>
    public static string? MarkerText(TraceEvent ev) =>
        ev.Name == "print" && ev.System == "ftrace" && String(ev, "buf") is string buf ? buf.Trim() : null;

    /// <summary>The process (thread group) of the task that logged the event, as far as the trace tells.</summary>
    public static int ProcessOf(TraceEvent ev) => ev.ThreadGroupId is int tgid and > 0 ? tgid : ev.ProcessId;
}
