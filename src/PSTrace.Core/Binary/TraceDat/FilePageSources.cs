using Microsoft.Win32.SafeHandles;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>Uncompressed CPU data: pages read from a file region, many pages per read into one reused buffer.</summary>
internal sealed class FileRegionPageSource : PageSource
{
    private const int PagesPerRead = 64;

    private readonly SafeFileHandle _file;
    private readonly long _end;
    private readonly byte[] _buffer;
    private long _bufferOrigin;
    private int _bufferLength;
    private int _next;

    public FileRegionPageSource(SafeFileHandle file, long offset, long size, int pageSize)
        : base(pageSize)
    {
        _file = file;
        _end = offset + size;
        _buffer = new byte[pageSize * (int)Math.Clamp(size / pageSize, 1, PagesPerRead)];
        _bufferOrigin = offset;
    }

    public override bool Next(out byte[] buffer, out int start, out long origin)
    {
        buffer = _buffer;
        if (_next >= _bufferLength)
        {
            long at = _bufferOrigin + _bufferLength;
            if (at >= _end)
            {
                start = 0;
                origin = at;
                return false;
            }

            int want = (int)Math.Min(_buffer.Length, _end - at);
            int got = RandomAccess.Read(_file, _buffer.AsSpan(0, want), at);
            if (got < want)
            {
                throw new TraceDataException($"Truncated: the file ends inside CPU data ({got} of {want} bytes)", at + got);
            }

            if (want % PageSize != 0 && at + want == _end)
            {
                throw new TraceDataException($"CPU data ends inside a page: {want % PageSize} of {PageSize} bytes", at + want - want % PageSize);
            }

            BytesRead += got;
            _bufferOrigin = at;
            _bufferLength = want;
            _next = 0;
        }

        start = _next;
        origin = _bufferOrigin + _next;
        _next += PageSize;
        return true;
    }
}

/// <summary>
/// Compressed CPU data (v7): a u32 chunk count, then per chunk u32 compressed size, u32 size and
/// the compressed bytes. Chunks are decompressed one at a time into a reused buffer.
/// </summary>
internal sealed class CompressedPageSource : PageSource
{
    private const int MaxChunkSize = 64 << 20;

    private readonly SafeFileHandle _file;
    private readonly Decompressor _decompressor;
    private readonly List<(long At, int CompressedSize, int Size)> _chunks = new();
    private byte[] _compressed = [];
    private byte[] _pages = [];
    private int _chunk = -1;
    private int _length;
    private int _next;

    public CompressedPageSource(SafeFileHandle file, long fileLength, TraceDatCpuData cpu, int pageSize, bool bigEndian, Decompressor decompressor)
        : base(pageSize)
    {
        _file = file;
        _decompressor = decompressor;
        // trace-cmd's recorded size leaves out the 4-byte chunk count.
        var c = new FileCursor(file, Math.Min(fileLength, cpu.Offset + cpu.Size + 4)) { BigEndian = bigEndian };
        c.Seek(cpu.Offset);
        uint count = c.U32($"CPU {cpu.Cpu}'s chunk count");
        if (count > c.Remaining / 8)
        {
            throw c.Error($"Corrupt: {count} chunks do not fit in CPU {cpu.Cpu}'s {cpu.Size} bytes", cpu.Offset);
        }

        for (uint i = 0; i < count; i++)
        {
            long at = c.Position;
            uint compressedSize = c.U32("a chunk's compressed size");
            uint size = c.U32("a chunk's size");
            if (size > MaxChunkSize || size % pageSize != 0)
            {
                throw c.Error($"Corrupt: a chunk of {size} bytes (not a whole number of {pageSize}-byte pages)", at);
            }

            _chunks.Add((at + 8, c.Size(compressedSize, "a chunk's compressed data"), (int)size));
            c.Seek(c.Position + compressedSize);
        }
    }

    public override bool Next(out byte[] buffer, out int start, out long origin)
    {
        while (_next >= _length)
        {
            if (_chunk + 1 >= _chunks.Count)
            {
                buffer = _pages;
                start = 0;
                origin = 0;
                return false;
            }

            LoadChunk(++_chunk);
        }

        buffer = _pages;
        start = _next;
        // Inside compressed data there is no file offset for a page: report the chunk's.
        origin = _chunks[_chunk].At - 8;
        _next += PageSize;
        return true;
    }

    private void LoadChunk(int index)
    {
        (long at, int compressedSize, int size) = _chunks[index];
        BytesRead += compressedSize + 8;
        if (_compressed.Length < compressedSize)
        {
            _compressed = new byte[compressedSize];
        }

        if (_pages.Length < size)
        {
            _pages = new byte[size];
        }

        int got = RandomAccess.Read(_file, _compressed.AsSpan(0, compressedSize), at);
        if (got < compressedSize)
        {
            throw new TraceDataException($"Truncated: the file ends inside a compressed chunk ({got} of {compressedSize} bytes)", at + got);
        }

        _decompressor.Decompress(_compressed.AsSpan(0, compressedSize), _pages.AsSpan(0, size), at - 8);
        _length = size;
        _next = 0;
    }
}
