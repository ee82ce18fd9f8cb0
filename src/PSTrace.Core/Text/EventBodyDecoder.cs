using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using PSTrace.Core.Formats;

namespace PSTrace.Core.Text;

/// <summary>
/// Turns the text of an event (what follows "name: " on a trace line) into its fields, by its format.
/// </summary>
/// <remarks>
/// <para>Tracepoints are read by their print fmt: literals must match, and each conversion's text goes to
/// the field its argument names. Numbers take the field's type (long when signed, ulong when not; hex
/// where printed hex), strings stay strings, an array element printed on its own (raw_syscalls'
/// REC->args[0]) fills an array, and a dev_t printed as MAJOR,MINOR becomes the dev_t again. A field the
/// kernel prints through a symbol table or flag names (__print_symbolic, __print_flags) holds that text
/// ("S", "be"). Fields printed only through other expressions are left out.</para>
/// <para>Syscall events are read by their own shape ("(dfd: 0x..., ...)", " -> 0x3"; the ret field is signed),
/// and kprobes and uprobes by their declared arguments (see <see cref="Fault"/>).</para>
/// <para>Text that does not fit gives an empty dictionary: this never throws for any input text.</para>
/// </remarks>
public static class EventBodyDecoder
{
    /// <summary>A probe argument the kernel could not fetch: its value is exactly this string.</summary>
    public const string Fault = "(fault)";

    private static readonly IReadOnlyDictionary<string, object?> None = ReadOnlyDictionary<string, object?>.Empty;
    private static readonly ConditionalWeakTable<EventFormat, object> Readers = new();

    /// <summary>Stands for "a syscall event" in <see cref="Readers"/>: those need no compiled reader.</summary>
    private static readonly object SyscallMarker = new();

    /// <param name="format">The event's format.</param>
    /// <param name="body">The event text after "name: " (for syscall events, the whole printed text also works).</param>
    public static IReadOnlyDictionary<string, object?> Decode(EventFormat format, string body)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(body);
        object reader = Readers.GetValue(format, Compile);
        var fields = new Dictionary<string, object?>(format.Fields.Count, StringComparer.Ordinal);
        bool ok = reader switch
        {
            ProbeBody probe => probe.TryDecode(body, fields),
            PrintFormatTemplate template => template.TryMatch(body, fields),
            _ => DecodeSyscall(format, body, fields),
        };

        return ok ? fields : None;
    }

    private static object Compile(EventFormat format)
    {
        if (ProbeBody.For(format) is { } probe)
        {
            return probe;
        }

        if (IsSyscall(format))
        {
            return SyscallMarker;
        }

        return PrintFormatTemplate.Compile(format);
    }

    private static bool IsSyscall(EventFormat format) =>
        format.Field("__syscall_nr") is not null
        && (format.Name.StartsWith("sys_enter_", StringComparison.Ordinal) || format.Name.StartsWith("sys_exit_", StringComparison.Ordinal));

    private static bool DecodeSyscall(EventFormat format, string body, Dictionary<string, object?> fields)
    {
        bool enter = format.Name.StartsWith("sys_enter_", StringComparison.Ordinal);
        int at = enter ? body.IndexOf('(', StringComparison.Ordinal) : body.IndexOf(" -> ", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        foreach (KeyValuePair<string, object?> kv in SyscallBody.Decode(body.AsSpan(at), enter, format))
        {
            fields[kv.Key] = kv.Value;
        }

        return fields.Count > 0;
    }
}
