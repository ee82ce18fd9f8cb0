using System.Text.Unicode;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.Binary;

/// <summary>
/// Turns one ring-buffer record (the payload after the record header) into a <see cref="TraceEvent"/>:
/// common_type picks the format, the common fields give pid and flags, the format's fields give
/// the typed values. Reuses its caches across events; one decoder per reading thread.
/// </summary>
internal sealed class TraceEventDecoder
{
    private readonly EventFormatCatalog _events;
    private readonly CommonFieldOffsets _common;
    private readonly bool _big;
    private readonly StringCache _strings = new();

    // Formats are prepared for decoding on first use (a catalog holds thousands, a trace uses a few)
    // and found by id through an array: this lookup happens once per record. Ids the catalog does
    // not know are remembered too, so an unknown event costs one catalog lookup, not one per record.
    private CompiledFormat?[] _compiled = [];
    private readonly HashSet<int> _unknown = new();

    public TraceEventDecoder(EventFormatCatalog events, TaskNames tasks, bool bigEndian)
    {
        _events = events;
        _common = events.CommonFields;
        Tasks = tasks;
        _big = bigEndian;
    }

    /// <summary>Where comms and thread groups come from; a live reader may swap in a fresher one.</summary>
    public TaskNames Tasks { get; set; }

    /// <summary>Names learnt from the events decoded so far, for pids <see cref="Tasks"/> lacks; null for none (saved files).</summary>
    public TaskNameLearner? Learner { get; init; }

    /// <summary>The record's common_pid, without decoding the rest; -1 for a record too short to have one.</summary>
    public int ProcessIdOf(ReadOnlySpan<byte> record) =>
        record.Length < _common.Length ? -1 : (int)Endian.U32(record[_common.Pid..], _big);

    /// <param name="origin">The record's offset in the caller's terms, for error messages.</param>
    public TraceEvent Decode(ReadOnlySpan<byte> record, int cpu, ulong timestamp, long origin)
    {
        if (record.Length < _common.Length)
        {
            throw new TraceDataException($"A record of {record.Length} bytes is shorter than the {_common.Length}-byte common header", origin);
        }

        int type = (int)Endian.Unsigned(record[_common.Type..], _common.TypeSize, _big);
        string flags = LatencyFlags.Render(record[_common.Flags], record[_common.PreemptCount]);
        int pid = (int)Endian.U32(record[_common.Pid..], _big);
        int? tgid = Tasks.ThreadGroupOf(pid);

        CompiledFormat? format = Compiled(type);
        if (format is null)
        {
            return new TraceEvent(timestamp, cpu, pid, tgid, CommandOf(pid), flags, "", "unknown_event_" + type, DecodedFields.Empty, DecodedFields.Empty);
        }

        if (format.Problem is { } problem)
        {
            throw new TraceDataException($"A {format.Format.FullName} record cannot be decoded: its format's {problem}", origin);
        }

        if (record.Length < format.MinimumLength)
        {
            throw new TraceDataException($"A {format.Format.FullName} record of {record.Length} bytes is shorter than its format's {format.MinimumLength}", origin);
        }

        FieldPlan[] plans = format.Plans;
        object?[] values = plans.Length == 0 ? [] : new object?[plans.Length];
        for (int i = 0; i < plans.Length; i++)
        {
            values[i] = Read(plans[i], record, origin, format);
        }

        // First, so that an exec's own record bears the name it gives.
        Learner?.Learn(type, format, values);
        var fields = new DecodedFields(format.Names, values);
        return new TraceEvent(timestamp, cpu, pid, tgid, CommandOf(pid), flags, format.Format.System, format.Format.Name, fields, fields);
    }

    // A name learnt from the trace itself (fork, exec, rename) is newer than saved_cmdlines, which still holds
    // whatever last ran under a reused pid: it wins on the live path, where the learner is set.
    private string CommandOf(int pid) =>
        pid != 0 && Learner is { } l && l.TryGet(pid, out string learnt) ? learnt : Tasks.CommandOf(pid);

    private CompiledFormat? Compiled(int id)
    {
        if ((uint)id < (uint)_compiled.Length && _compiled[id] is { } known)
        {
            return known;
        }

        if (_unknown.Contains(id))
        {
            return null;
        }

        if (_events.FindById(id) is not { } format)
        {
            _unknown.Add(id);
            return null;
        }

        if (id >= _compiled.Length)
        {
            Array.Resize(ref _compiled, Math.Max(id + 1, _compiled.Length * 2));
        }

        return _compiled[id] = new CompiledFormat(format);
    }

    private object? Read(FieldPlan plan, ReadOnlySpan<byte> record, long origin, CompiledFormat format)
    {
        ReadOnlySpan<byte> bytes;
        switch (plan.Place)
        {
            case FieldPlace.Fixed:
                bytes = record.Slice(plan.Offset, plan.Size);
                if (!plan.IsArray)
                {
                    return BoxCache.Box(Endian.Unsigned(bytes, plan.ElementSize, _big), plan.Kind, plan.ElementSize);
                }

                break;

            case FieldPlace.Trailing:
                if (plan.Offset > record.Length)
                {
                    throw new TraceDataException($"Field {plan.Name} of {format.Format.FullName} starts at {plan.Offset}, past the record's {record.Length} bytes", origin);
                }

                bytes = record[plan.Offset..];
                break;

            default:
                uint word = Endian.U32(record[plan.Offset..], _big);
                int start = (int)(word & 0xffff);
                int length = (int)(word >> 16);
                if (plan.Place == FieldPlace.RelLoc)
                {
                    // __rel_loc counts from the end of the location word.
                    start += plan.Offset + plan.Size;
                }

                if (start + length > record.Length)
                {
                    throw new TraceDataException($"Field {plan.Name} of {format.Format.FullName} points at {length} bytes from {start}, past the record's {record.Length} bytes", origin + plan.Offset);
                }

                if (length == 0 && format.IsProbe && plan.Kind == ElementKind.Char)
                {
                    // A fetched string always holds its NUL; none at all means the fetch faulted.
                    return EventBodyDecoder.Fault;
                }

                bytes = record.Slice(start, length);
                break;
        }

        return plan.Kind == ElementKind.Char ? Text(bytes) : NumericArray(bytes, plan.Kind, plan.ElementSize);
    }

    /// <summary>Characters up to the first NUL; bytes that are not text stay bytes (trace_marker_raw, binary buffers).</summary>
    private object Text(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        ReadOnlySpan<byte> text = nul >= 0 ? bytes[..nul] : bytes;
        return IsText(text) ? _strings.Get(text) : bytes.ToArray();
    }

    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        bool high = false;
        foreach (byte b in bytes)
        {
            if (b >= 0x80)
            {
                high = true;
            }
            else if (b < 0x20 ? b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c) : b == 0x7f)
            {
                return false;
            }
        }

        return !high || Utf8.IsValid(bytes);
    }

    /// <summary>
    /// Elements of one byte stay bytes (byte[], sbyte[] when signed): they are data, not counts. Wider
    /// ones become long[] or ulong[], as the text path gives them.
    /// </summary>
    private object NumericArray(ReadOnlySpan<byte> bytes, ElementKind kind, int size)
    {
        int n = bytes.Length / size;
        switch (kind, size)
        {
            case (ElementKind.Bool, _):
                var bools = new bool[n];
                for (int i = 0; i < n; i++)
                {
                    bools[i] = bytes[i] != 0;
                }

                return bools;
            case (ElementKind.Signed, 1):
                var sbytes = new sbyte[n];
                for (int i = 0; i < n; i++)
                {
                    sbytes[i] = (sbyte)bytes[i];
                }

                return sbytes;
            case (_, 1):
                return bytes.ToArray();
            case (ElementKind.Signed, _):
                var longs = new long[n];
                for (int i = 0; i < n; i++)
                {
                    longs[i] = BoxCache.SignExtend(Endian.Unsigned(bytes[(i * size)..], size, _big), size);
                }

                return longs;
            default:
                var ulongs = new ulong[n];
                for (int i = 0; i < n; i++)
                {
                    ulongs[i] = Endian.Unsigned(bytes[(i * size)..], size, _big);
                }

                return ulongs;
        }
    }
}
