using PSTrace.Core.Formats;

namespace PSTrace.Core.Binary;

/// <summary>
/// Where a ring-buffer page (sub-buffer) keeps its header fields and its data, as events/header_page
/// describes it: a u64 timestamp, then the commit word (a kernel `long`: 4 or 8 bytes), then the data.
/// </summary>
public sealed class RingBufferLayout
{
    public RingBufferLayout(int timestampOffset, int commitOffset, int commitSize, int dataOffset, int pageSize)
    {
        if (commitSize is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(commitSize), commitSize, "The commit word is a kernel long: 4 or 8 bytes.");
        }

        if (timestampOffset < 0 || timestampOffset + 8 > dataOffset || commitOffset < 0 || commitOffset + commitSize > dataOffset || dataOffset >= pageSize)
        {
            throw new ArgumentException($"Inconsistent page header: timestamp at {timestampOffset}, commit at {commitOffset} ({commitSize} bytes), data at {dataOffset}, page of {pageSize} bytes.");
        }

        TimestampOffset = timestampOffset;
        CommitOffset = commitOffset;
        CommitSize = commitSize;
        DataOffset = dataOffset;
        PageSize = pageSize;
    }

    /// <summary>The layout of a 64-bit kernel: timestamp at 0, commit at 8, data at 16.</summary>
    public static RingBufferLayout Default64(int pageSize = 4096) => new(0, 8, 8, 16, pageSize);

    public int TimestampOffset { get; }
    public int CommitOffset { get; }

    /// <summary>Bytes in the commit word: the kernel's long size.</summary>
    public int CommitSize { get; }

    public int DataOffset { get; }

    /// <summary>Bytes in one page (sub-buffer), header included.</summary>
    public int PageSize { get; }

    /// <summary>The most data one page can hold.</summary>
    public int DataCapacity => PageSize - DataOffset;

    /// <summary>The same header with another page size (trace.dat records it per buffer; buffer_subbuf_size_kb changes it).</summary>
    public RingBufferLayout WithPageSize(int pageSize) => pageSize == PageSize ? this : new(TimestampOffset, CommitOffset, CommitSize, DataOffset, pageSize);

    /// <summary>Parses the text of events/header_page.</summary>
    /// <exception cref="FormatException">The text lacks the timestamp, commit or data field.</exception>
    public static RingBufferLayout Parse(string headerPage)
    {
        FormatField? timestamp = null, commit = null, data = null;
        foreach (string raw in headerPage.Split('\n'))
        {
            string line = raw.Trim();
            if (!line.StartsWith("field:", StringComparison.Ordinal))
            {
                continue;
            }

            FormatField f;
            try
            {
                f = EventFormatParser.ParseField(line);
            }
            catch (Exception e) when (e is ArgumentException or OverflowException or IndexOutOfRangeException)
            {
                throw new FormatException($"Not a ring-buffer page header field: {line}", e);
            }

            switch (f.Name)
            {
                case "timestamp": timestamp = f; break;
                case "commit": commit = f; break;
                case "data": data = f; break;
            }
        }

        if (timestamp is null || commit is null || data is null)
        {
            throw new FormatException("Not a ring-buffer page header: it needs the fields timestamp, commit and data.");
        }

        try
        {
            return new RingBufferLayout(timestamp.Offset, commit.Offset, commit.Size, data.Offset, data.Offset + data.Size);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("Not a usable ring-buffer page header: " + e.Message, e);
        }
    }

    public override string ToString() => $"page {PageSize} bytes: timestamp@{TimestampOffset}, commit@{CommitOffset}/{CommitSize}, data@{DataOffset}";
}
