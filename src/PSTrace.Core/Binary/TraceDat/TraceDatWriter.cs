using System.Text;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// Writes a trace-cmd trace.dat file, version 6 (the uncompressed layout every trace-cmd and
/// KernelShark reads): magic, header_page and header_event, ftrace and event formats, kallsyms,
/// printk formats, saved cmdlines, the CPU count, options (UNAME, CPUSTAT, TRACECLOCK), then
/// "flyrecord" with each CPU's ring-buffer pages, page-aligned, exactly as they were read.
/// Little-endian, for the machine it runs on.
/// </summary>
public static class TraceDatWriter
{
    private const ushort OptionCpuStat = 2;
    private const ushort OptionTraceClock = 4;
    private const ushort OptionUname = 5;

    /// <param name="output">A seekable stream positioned at its start.</param>
    /// <param name="cpuPages">Each CPU's pages, in CPU order; a CPU without pages may be left out.</param>
    public static void WriteV6(Stream output, TraceDatContents contents, IReadOnlyDictionary<int, Stream> cpuPages)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(cpuPages);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The trace.dat writer writes little-endian files only.");
        }

        var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write(new byte[] { 0x17, 0x08, 0x44 });
        w.Write("tracing"u8);
        w.Write("6\0"u8);
        w.Write((byte)0); // little-endian
        w.Write((byte)LongSize(contents.HeaderPage));
        w.Write((uint)contents.PageSize);

        Tag(w, "header_page");
        Block64(w, contents.HeaderPage);
        Tag(w, "header_event");
        Block64(w, contents.HeaderEvent);

        w.Write((uint)contents.FtraceFormats.Count);
        foreach (string f in contents.FtraceFormats)
        {
            Block64(w, f);
        }

        w.Write((uint)contents.EventFormats.Count);
        foreach ((string system, IReadOnlyList<string> formats) in contents.EventFormats)
        {
            Tag(w, system);
            w.Write((uint)formats.Count);
            foreach (string f in formats)
            {
                Block64(w, f);
            }
        }

        Block32(w, contents.Kallsyms);
        Block32(w, contents.Printk);
        Block64(w, contents.Cmdlines);
        w.Write((uint)contents.Cpus);

        w.Write("options  \0"u8);
        if (contents.Uname is { } uname)
        {
            Option(w, OptionUname, uname);
        }

        if (contents.SavedTgids.Length > 0)
        {
            Option(w, (ushort)OptionId.SavedTgids, contents.SavedTgids);
        }

        if (contents.ClockEpochNanoseconds is { } epoch)
        {
            Option(w, (ushort)OptionId.ClockEpoch, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (string stats in contents.CpuStats)
        {
            Option(w, OptionCpuStat, stats);
        }

        if (contents.TraceClock is { } clocks)
        {
            // The trace_clock file as it reads; version 6 also puts the selected clock after the CPU table.
            Option(w, OptionTraceClock, clocks + "\n", terminate: false);
        }

        w.Write((ushort)0);

        w.Write("flyrecord\0"u8);
        long table = output.Position;
        string? selected = contents.TraceClock is { } all ? SelectedClock(all) : null;
        long clockSize = selected is null ? 0 : 8 + Encoding.UTF8.GetByteCount(selected);
        long dataStart = Align(table + (16L * contents.Cpus) + clockSize, contents.PageSize);

        // The table first with the sizes known, then the pages at page-aligned offsets.
        var regions = new (long Offset, long Size)[contents.Cpus];
        long at = dataStart;
        for (int cpu = 0; cpu < contents.Cpus; cpu++)
        {
            long size = cpuPages.TryGetValue(cpu, out Stream? s) ? s.Length : 0;
            regions[cpu] = (size == 0 ? 0 : at, size);
            at = Align(at + size, contents.PageSize);
        }

        foreach ((long offset, long size) in regions)
        {
            w.Write((ulong)offset);
            w.Write((ulong)size);
        }

        if (selected is not null)
        {
            Block64(w, selected);
        }

        w.Flush();
        for (int cpu = 0; cpu < contents.Cpus; cpu++)
        {
            if (regions[cpu].Size == 0)
            {
                continue;
            }

            Pad(output, regions[cpu].Offset);
            Stream pages = cpuPages[cpu];
            pages.Position = 0;
            pages.CopyTo(output);
        }

        Pad(output, Align(output.Position, contents.PageSize));
        output.Flush();
    }

    /// <summary>The kernel's long size, from header_page's commit field (8 on 64-bit kernels).</summary>
    private static int LongSize(string headerPage)
    {
        try
        {
            return RingBufferLayout.Parse(headerPage).CommitSize;
        }
        catch (FormatException)
        {
            return IntPtr.Size;
        }
    }

    private static void Tag(BinaryWriter w, string name)
    {
        w.Write(Encoding.UTF8.GetBytes(name));
        w.Write((byte)0);
    }

    private static void Block64(BinaryWriter w, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void Block32(BinaryWriter w, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>"[local]" from "[local] global counter ...": the clock in use, in its brackets.</summary>
    private static string SelectedClock(string clocks)
    {
        int open = clocks.IndexOf('[', StringComparison.Ordinal);
        int close = open < 0 ? -1 : clocks.IndexOf(']', open);
        return close > open ? clocks[open..(close + 1)] : "[local]";
    }

    private static void Option(BinaryWriter w, ushort id, string text, bool terminate = true)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(terminate ? text + "\0" : text);
        w.Write(id);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    private static long Align(long value, int pageSize) => (value + pageSize - 1) / pageSize * pageSize;

    private static void Pad(Stream output, long to)
    {
        Span<byte> zeros = stackalloc byte[4096];
        zeros.Clear();
        while (output.Position < to)
        {
            output.Write(zeros[..(int)Math.Min(zeros.Length, to - output.Position)]);
        }
    }
}
