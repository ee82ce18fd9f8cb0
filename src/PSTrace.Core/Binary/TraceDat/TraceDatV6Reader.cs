namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// Version 6: the metadata blocks in a fixed order, the CPU count, optional options, then
/// "flyrecord" and a (offset, size) pair per CPU. Instances come as BUFFER options that point
/// at their own "flyrecord" table.
/// </summary>
internal static class TraceDatV6Reader
{
    public static void Read(FileCursor c, TraceDatMetadata meta)
    {
        MetadataSections.ReadHeaderInfo(c, meta);
        MetadataSections.ReadFtraceFormats(c, meta);
        MetadataSections.ReadEventFormats(c, meta);
        MetadataSections.ReadKallsyms(c, meta);
        MetadataSections.ReadPrintk(c, meta);
        MetadataSections.ReadCmdlines(c, meta);
        meta.Cpus = OptionReader.CheckCpus(c.U32("the CPU count"), c);

        var pending = new List<PendingBuffer>();
        string kind = ReadDataKind(c, meta, pending);
        meta.Buffers.Add(ReadBuffer(c, meta, "", kind));
        if (kind == "flyrecord" && meta.HasTraceClockOption)
        {
            // The trace_clock file's text follows the CPU table; not worth failing over.
            try
            {
                meta.TraceClock = OptionReader.SelectedClock(c.Text(c.U64("the trace clock size"), "the trace clock")) ?? meta.TraceClock;
            }
            catch (TraceDataException)
            {
                meta.TraceClock ??= "local";
            }
        }

        foreach (PendingBuffer b in pending)
        {
            c.Seek(b.Offset);
            string instanceKind = ReadDataKind(c, meta, []);
            meta.Buffers.Add(ReadBuffer(c, meta, b.Name, instanceKind));
        }
    }

    /// <summary>Reads "options  " (and the options) if there, then returns "flyrecord" or "latency".</summary>
    private static string ReadDataKind(FileCursor c, TraceDatMetadata meta, List<PendingBuffer> pending)
    {
        long at = c.Position;
        string tag = c.Tag(10, "the \"options\", \"flyrecord\" or \"latency\" tag");
        if (tag.StartsWith("options", StringComparison.Ordinal))
        {
            var sections = new Dictionary<OptionId, long>();
            while (true)
            {
                var id = (OptionId)c.U16("an option id");
                if (id == OptionId.Done)
                {
                    break;
                }

                uint size = c.U32($"the size of option {id}");
                long dataAt = c.Position;
                OptionReader.Apply(meta, id, c.Bytes(size, $"option {id}"), dataAt, sections, pending);
            }

            at = c.Position;
            tag = c.Tag(10, "the \"flyrecord\" or \"latency\" tag");
        }

        if (tag.StartsWith("flyrecord", StringComparison.Ordinal))
        {
            return "flyrecord";
        }

        if (tag.StartsWith("latency", StringComparison.Ordinal))
        {
            return "latency";
        }

        throw c.Error($"Expected \"flyrecord\" or \"latency\", found \"{tag}\"", at);
    }

    private static TraceDatBuffer ReadBuffer(FileCursor c, TraceDatMetadata meta, string name, string kind)
    {
        if (kind == "latency")
        {
            return new TraceDatBuffer(name, meta.TraceClock, meta.PageSize, false, true, []);
        }

        var cpus = new List<TraceDatCpuData>();
        for (int cpu = 0; cpu < meta.Cpus; cpu++)
        {
            long tableAt = c.Position;
            ulong offset = c.U64($"CPU {cpu}'s data offset");
            ulong size = c.U64($"CPU {cpu}'s data size");
            if (size == 0)
            {
                continue;
            }

            cpus.Add(CpuData.Checked(c, cpu, offset, size, tableAt));
        }

        return new TraceDatBuffer(name, meta.TraceClock, meta.PageSize, false, false, cpus);
    }
}

internal static class CpuData
{
    /// <summary>A CPU's data region, refused when it lies outside the file (a truncated file).</summary>
    public static TraceDatCpuData Checked(DataCursor c, int cpu, ulong offset, ulong size, long describedAt)
    {
        if (offset > (ulong)c.Length || size > (ulong)c.Length - offset)
        {
            throw c.Error($"Truncated: CPU {cpu}'s {size} bytes at 0x{offset:x} end past the file's {c.Length} bytes", describedAt);
        }

        return new TraceDatCpuData(cpu, (long)offset, (long)size);
    }
}
