using System.Globalization;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>A BUFFER or BUFFER_TEXT option before its CPU data is located.</summary>
internal sealed record PendingBuffer(string Name, long Offset, string? Clock, int PageSize, bool IsLatency, IReadOnlyList<TraceDatCpuData> Cpus);

/// <summary>Applies one option (id, data) of either version to the metadata.</summary>
internal static class OptionReader
{
    /// <param name="offset">File offset of the option's data, for errors.</param>
    /// <param name="sections">v7: section id -> file offset, filled from the section options.</param>
    /// <param name="buffers">BUFFER options found, in order.</param>
    public static void Apply(TraceDatMetadata meta, OptionId id, byte[] data, long offset, Dictionary<OptionId, long> sections, List<PendingBuffer> buffers)
    {
        var c = new MemoryCursor(data, offset, meta.BigEndian, $"option {id}");
        switch (id)
        {
            case OptionId.Date:
                // Microseconds between the trace clock and the time of day, as "0x..." text.
                meta.TimestampOffset += ParseCNumber(c.Text((ulong)data.Length, "the DATE option")) * 1000;
                meta.HasDate = true;
                break;
            case OptionId.Offset:
                meta.TimestampOffset += ParseCNumber(c.Text((ulong)data.Length, "the OFFSET option"));
                break;
            case OptionId.CpuStat:
                meta.CpuStats.Add(c.Text((ulong)data.Length, "a CPUSTAT option"));
                break;
            case OptionId.TraceClock:
                meta.HasTraceClockOption = true;
                meta.TraceClock = SelectedClock(c.Text((ulong)data.Length, "the TRACECLOCK option")) ?? meta.TraceClock;
                break;
            case OptionId.ClockEpoch:
                meta.ClockEpochNanoseconds = long.TryParse(c.Text((ulong)data.Length, "the clock epoch option").TrimEnd('\0').Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long epoch) ? epoch : null;
                break;
            case OptionId.SavedTgids:
                meta.SavedTgids = c.Text((ulong)data.Length, "the saved_tgids option");
                break;
            case OptionId.Uname:
                meta.Uname = c.Text((ulong)data.Length, "the UNAME option");
                break;
            case OptionId.Version:
                meta.TraceCmdVersion = c.Text((ulong)data.Length, "the VERSION option");
                break;
            case OptionId.CpuCount:
                meta.Cpus = CheckCpus(c.U32("the CPUCOUNT option"), c);
                break;
            case OptionId.TscToNanoseconds:
                uint mult = c.U32("the TSC2NSEC multiplier");
                uint shift = c.U32("the TSC2NSEC shift");
                if (mult != 0 && shift is > 0 and < 32)
                {
                    meta.TscToNanoseconds = new TimestampScale(mult, (int)shift);
                }

                break;
            case OptionId.Buffer when meta.Version < 7:
                long at = (long)c.U64("the buffer's offset");
                buffers.Add(new PendingBuffer(c.CString("the buffer's name"), at, null, meta.PageSize, false, []));
                break;
            case OptionId.Buffer:
                buffers.Add(ReadBufferV7(c, meta));
                break;
            case OptionId.BufferText:
                long textAt = (long)c.U64("the latency buffer's offset");
                string name = c.CString("the latency buffer's name");
                string clock = c.CString("the latency buffer's clock");
                buffers.Add(new PendingBuffer(name, textAt, clock, meta.PageSize, true, []));
                break;
            case OptionId.HeaderInfo or OptionId.FtraceEvents or OptionId.EventFormats or OptionId.Kallsyms
                or OptionId.Printk or OptionId.Cmdlines or OptionId.BtfFile or OptionId.ModulesFile:
                if (data.Length >= 8)
                {
                    sections[id] = (long)c.U64($"the {id} section's offset");
                }

                break;
            default:
                // HOOK, PROCMAPS, TRACEID, TIME_SHIFT, GUEST, LAST_BOOT_INFO and ids from newer writers: not needed to read events.
                break;
        }
    }

    private static PendingBuffer ReadBufferV7(MemoryCursor c, TraceDatMetadata meta)
    {
        long offset = (long)c.U64("the buffer's offset");
        string name = c.CString("the buffer's name");
        string clock = c.CString("the buffer's clock");
        uint pageSize = c.U32("the buffer's page size");
        if (pageSize is < 64 or > 1 << 24 || (pageSize & (pageSize - 1)) != 0)
        {
            throw c.Error($"Corrupt: a page size of {pageSize} bytes");
        }

        uint count = c.U32("the buffer's CPU count");
        if (count > c.Remaining / 20)
        {
            throw c.Error($"Corrupt: {count} CPUs do not fit in the option");
        }

        var cpus = new List<TraceDatCpuData>();
        for (uint i = 0; i < count; i++)
        {
            uint cpu = c.U32("a CPU id");
            ulong at = c.U64("a CPU data offset");
            ulong size = c.U64("a CPU data size");
            if (cpu > int.MaxValue || at > long.MaxValue || size > long.MaxValue)
            {
                throw c.Error($"Corrupt: CPU {cpu} data of {size} bytes at 0x{at:x}");
            }

            cpus.Add(new TraceDatCpuData((int)cpu, (long)at, (long)size));
        }

        return new PendingBuffer(name, offset, clock, (int)pageSize, false, cpus);
    }

    internal static int CheckCpus(uint cpus, DataCursor c) =>
        cpus <= 1 << 16 ? (int)cpus : throw c.Error($"Corrupt: {cpus} CPUs");

    /// <summary>The clock in brackets in a trace_clock file's text ("[local] global counter").</summary>
    internal static string? SelectedClock(string traceClock)
    {
        int open = traceClock.IndexOf('[');
        int close = open >= 0 ? traceClock.IndexOf(']', open) : -1;
        return close > open ? traceClock[(open + 1)..close] : null;
    }

    /// <summary>strtoll with base 0: "0x" hex, a leading 0 octal, else decimal; a sign allowed.</summary>
    private static long ParseCNumber(string text)
    {
        string t = text.Trim();
        bool negative = t.StartsWith('-');
        if (negative || t.StartsWith('+'))
        {
            t = t[1..];
        }

        long value = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex) ? hex
            : t.Length > 1 && t[0] == '0' ? ParseOctal(t)
            : long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long dec) ? dec
            : 0;
        return negative ? -value : value;
    }

    private static long ParseOctal(string t)
    {
        long v = 0;
        foreach (char ch in t)
        {
            if (ch is < '0' or > '7')
            {
                break;
            }

            v = v * 8 + (ch - '0');
        }

        return v;
    }
}
