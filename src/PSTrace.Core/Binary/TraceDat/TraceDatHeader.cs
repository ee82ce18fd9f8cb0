namespace PSTrace.Core.Binary.TraceDat;

/// <summary>The start both versions share: magic, "tracing", version, byte order, long size, page size.</summary>
internal static class TraceDatHeader
{
    private static readonly byte[] Magic = [0x17, 0x08, 0x44];
    private static readonly byte[] MagicAndTag = [0x17, 0x08, 0x44, (byte)'t', (byte)'r', (byte)'a', (byte)'c', (byte)'i', (byte)'n', (byte)'g'];

    /// <summary>The file starts like a trace.dat file (any version): 17 08 44 "tracing".</summary>
    public static bool StartsLikeTraceDat(ReadOnlySpan<byte> start) => start.StartsWith(MagicAndTag);

    public static int SniffLength => MagicAndTag.Length;

    public static void Read(DataCursor c, TraceDatMetadata meta)
    {
        Span<byte> magic = stackalloc byte[3];
        c.Read(magic, "the trace.dat magic");
        if (!magic.SequenceEqual(Magic) || c.Tag(7, "the \"tracing\" tag") != "tracing")
        {
            throw c.Error("Not a trace.dat file: the magic bytes 17 08 44 \"tracing\" are missing", 0);
        }

        string version = c.CString("the file version", maxLength: 16);
        if (!int.TryParse(version, out int v) || v is not (6 or 7))
        {
            throw c.Error($"Unsupported trace.dat version \"{version}\" (this reader knows 6 and 7)");
        }

        meta.Version = v;
        byte endian = c.U8("the byte order");
        if (endian > 1)
        {
            throw c.Error($"Corrupt: byte order flag {endian} (0 little, 1 big)", c.Position - 1);
        }

        meta.BigEndian = c.BigEndian = endian == 1;
        meta.LongSize = c.U8("the long size");
        if (meta.LongSize is not (4 or 8))
        {
            throw c.Error($"Corrupt: a long of {meta.LongSize} bytes", c.Position - 1);
        }

        uint pageSize = c.U32("the page size");
        if (pageSize is < 64 or > 1 << 24 || (pageSize & (pageSize - 1)) != 0)
        {
            throw c.Error($"Corrupt: a page size of {pageSize} bytes", c.Position - 4);
        }

        meta.PageSize = (int)pageSize;
    }
}
