namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// Version 7: after the compression header, a chain of options sections; options point at the
/// metadata sections and describe each buffer (instance) with its CPUs' data. Every section starts
/// with u16 id, u16 flags (1 = compressed), u32 string id, u64 size.
/// </summary>
internal static class TraceDatV7Reader
{
    private const ushort CompressedFlag = 1;

    public static void Read(FileCursor c, TraceDatMetadata meta, Decompressor? decompressor)
    {
        long firstOptions = (long)Math.Min(c.U64("the first options section's offset"), long.MaxValue);
        var sections = new Dictionary<OptionId, long>();
        var pending = new List<PendingBuffer>();
        var visited = new HashSet<long>();
        for (long at = firstOptions; at != 0;)
        {
            if (!visited.Add(at))
            {
                throw c.Error($"Corrupt: the options sections loop back to 0x{at:x}");
            }

            at = ReadOptionsSection(c, at, meta, decompressor, sections, pending);
        }

        if (!sections.ContainsKey(OptionId.HeaderInfo))
        {
            throw c.Error("The file has no HEADER_INFO section (no header_page)", firstOptions);
        }

        foreach ((OptionId id, long offset) in sections.OrderBy(s => s.Key))
        {
            DataCursor section = OpenSection(c, offset, id, meta, decompressor, out _);
            switch (id)
            {
                case OptionId.HeaderInfo: MetadataSections.ReadHeaderInfo(section, meta); break;
                case OptionId.FtraceEvents: MetadataSections.ReadFtraceFormats(section, meta); break;
                case OptionId.EventFormats: MetadataSections.ReadEventFormats(section, meta); break;
                case OptionId.Kallsyms: MetadataSections.ReadKallsyms(section, meta); break;
                case OptionId.Printk: MetadataSections.ReadPrintk(section, meta); break;
                case OptionId.Cmdlines: MetadataSections.ReadCmdlines(section, meta); break;
            }
        }

        foreach (PendingBuffer b in pending)
        {
            bool compressed = false;
            if (!b.IsLatency)
            {
                c.Seek(b.Offset);
                (OptionId id, ushort flags, _) = ReadSectionHeader(c);
                if (id != OptionId.Buffer)
                {
                    throw c.Error($"Expected the data section of buffer \"{b.Name}\", found section {id}", b.Offset);
                }

                compressed = (flags & CompressedFlag) != 0;
                if (compressed && decompressor is null)
                {
                    throw c.Error($"Buffer \"{b.Name}\" is compressed but the file names no compression", b.Offset);
                }
            }

            var cpus = b.Cpus.Select(d => CpuData.Checked(c, d.Cpu, (ulong)d.Offset, (ulong)d.Size, b.Offset)).Where(d => d.Size > 0).ToList();
            meta.Buffers.Add(new TraceDatBuffer(b.Name, b.Clock, b.PageSize, compressed, b.IsLatency, cpus));
            if (b.Name.Length == 0 && b.Clock is not null)
            {
                meta.TraceClock ??= b.Clock;
            }
        }
    }

    /// <summary>Reads one options section; returns the next one's offset (0 for none).</summary>
    private static long ReadOptionsSection(FileCursor c, long at, TraceDatMetadata meta, Decompressor? decompressor,
        Dictionary<OptionId, long> sections, List<PendingBuffer> pending)
    {
        DataCursor options = OpenSection(c, at, OptionId.Done, meta, decompressor, out bool compressed);
        while (true)
        {
            var id = (OptionId)options.U16("an option id");
            uint size = options.U32($"the size of option {id}");
            long dataAt = compressed ? at : options.Position;
            byte[] data = options.Bytes(size, $"option {id}");
            if (id == OptionId.Done)
            {
                if (data.Length < 8)
                {
                    throw options.Error($"Corrupt: the DONE option has {data.Length} bytes, not 8");
                }

                ulong next = Endian.U64(data, meta.BigEndian);
                return next <= long.MaxValue ? (long)next : throw options.Error($"Corrupt: next options section at 0x{next:x}");
            }

            OptionReader.Apply(meta, id, data, dataAt, sections, pending);
        }
    }

    private static (OptionId Id, ushort Flags, ulong Size) ReadSectionHeader(DataCursor c)
    {
        var id = (OptionId)c.U16("a section id");
        ushort flags = c.U16("the section flags");
        c.U32("the section description");
        ulong size = c.U64("the section size");
        return (id, flags, size);
    }

    /// <summary>Positions on a section's data, decompressing it when flagged; checks the section's id.</summary>
    private static DataCursor OpenSection(FileCursor c, long at, OptionId expected, TraceDatMetadata meta, Decompressor? decompressor, out bool compressed)
    {
        c.Seek(at);
        (OptionId id, ushort flags, ulong size) = ReadSectionHeader(c);
        if (id != expected)
        {
            throw c.Error($"Expected section {expected}, found section {(ushort)id}", at);
        }

        c.Size(size, $"section {expected}");
        compressed = (flags & CompressedFlag) != 0;
        if (!compressed)
        {
            return c;
        }

        if (decompressor is null)
        {
            throw c.Error($"Section {expected} is compressed but the file names no compression", at);
        }

        long blockAt = c.Position;
        uint compressedSize = c.U32("the compressed size");
        uint uncompressedSize = c.U32("the uncompressed size");
        byte[] source = c.Bytes(compressedSize, $"compressed section {expected}");
        if (uncompressedSize > 1 << 30)
        {
            throw c.Error($"Corrupt: section {expected} claims {uncompressedSize} uncompressed bytes", blockAt);
        }

        byte[] data = decompressor.DecompressSection(source, (int)uncompressedSize, blockAt);
        return new MemoryCursor(data, blockAt, meta.BigEndian, $"compressed section {expected}");
    }
}
