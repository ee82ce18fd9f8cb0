using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// Sequential reads of trace.dat metadata, in the file's byte order, where every read says what it
/// expects so that a short read becomes a <see cref="TraceDataException"/> naming that thing and its offset.
/// </summary>
internal abstract class DataCursor
{
    public bool BigEndian { get; set; }

    /// <summary>Position within this cursor's data.</summary>
    public abstract long Position { get; }

    public abstract long Length { get; }

    public long Remaining => Length - Position;

    public abstract void Seek(long position);

    /// <summary>The offset to report for a problem at <paramref name="position"/>.</summary>
    public abstract long ReportOffset(long position);

    /// <summary>Words for messages: where this data comes from.</summary>
    protected abstract string Where { get; }

    protected abstract void ReadCore(Span<byte> destination);

    public TraceDataException Error(string message) => Error(message, Position);

    public TraceDataException Error(string message, long position) => new(message + Where, ReportOffset(position));

    public void Read(Span<byte> destination, string what)
    {
        if (destination.Length > Remaining)
        {
            throw Error($"Truncated: {what} needs {destination.Length} bytes, {Remaining} are left");
        }

        ReadCore(destination);
    }

    public byte U8(string what)
    {
        Span<byte> b = stackalloc byte[1];
        Read(b, what);
        return b[0];
    }

    public ushort U16(string what)
    {
        Span<byte> b = stackalloc byte[2];
        Read(b, what);
        return Endian.U16(b, BigEndian);
    }

    public uint U32(string what)
    {
        Span<byte> b = stackalloc byte[4];
        Read(b, what);
        return Endian.U32(b, BigEndian);
    }

    public ulong U64(string what)
    {
        Span<byte> b = stackalloc byte[8];
        Read(b, what);
        return Endian.U64(b, BigEndian);
    }

    /// <summary>A size read from the file, checked against what is left so a corrupt one cannot ask for gigabytes.</summary>
    public int Size(ulong size, string what)
    {
        if (size > (ulong)Remaining || size > int.MaxValue)
        {
            throw Error($"Truncated or corrupt: {what} is {size} bytes, {Remaining} are left");
        }

        return (int)size;
    }

    public byte[] Bytes(ulong count, string what)
    {
        var bytes = new byte[Size(count, what)];
        ReadCore(bytes);
        return bytes;
    }

    /// <summary>Text of a given size; a trailing NUL (some writers count one) is dropped.</summary>
    public string Text(ulong count, string what)
    {
        byte[] bytes = Bytes(count, what);
        int end = bytes.Length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }

        return Encoding.UTF8.GetString(bytes, 0, end);
    }

    /// <summary>
    /// Text that is only needed on demand (kallsyms: megabytes): its place is checked and remembered,
    /// the bytes are read and decoded when the returned function is called.
    /// </summary>
    public abstract Func<string> DeferredText(ulong count, string what);

    /// <summary>A NUL-terminated string.</summary>
    public string CString(string what, int maxLength = 4096)
    {
        long start = Position;
        var bytes = new List<byte>();
        while (true)
        {
            if (Remaining == 0)
            {
                throw Error($"Truncated: {what} has no terminating NUL", start);
            }

            byte b = U8(what);
            if (b == 0)
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            if (bytes.Count == maxLength)
            {
                throw Error($"Corrupt: {what} is longer than {maxLength} bytes", start);
            }

            bytes.Add(b);
        }
    }

    /// <summary>Fixed-size text, such as trace.dat's 10-byte "flyrecord\0" markers.</summary>
    public string Tag(int length, string what)
    {
        Span<byte> b = stackalloc byte[length];
        Read(b, what);
        int end = b.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end >= 0 ? b[..end] : b);
    }
}

/// <summary>Reads a file through a small buffer; positions are file offsets.</summary>
internal sealed class FileCursor : DataCursor
{
    private readonly SafeFileHandle _file;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private long _bufferStart;
    private int _bufferLength;
    private long _position;

    public FileCursor(SafeFileHandle file, long length)
    {
        _file = file;
        Length = length;
    }

    public override long Position => _position;
    public override long Length { get; }

    protected override string Where => "";

    public override long ReportOffset(long position) => position;

    public override Func<string> DeferredText(ulong count, string what)
    {
        int size = Size(count, what);
        long at = _position;
        _position += size;
        SafeFileHandle file = _file;
        return () =>
        {
            var bytes = new byte[size];
            if (RandomAccess.Read(file, bytes, at) != size)
            {
                throw new TraceDataException($"Truncated: {what} could not be read", at);
            }

            return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
        };
    }

    public override void Seek(long position)
    {
        if (position < 0 || position > Length)
        {
            throw Error($"Truncated or corrupt: an offset 0x{position:x} points outside the file of {Length} bytes", Position);
        }

        _position = position;
    }

    protected override void ReadCore(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_position < _bufferStart || _position >= _bufferStart + _bufferLength)
            {
                _bufferStart = _position;
                _bufferLength = RandomAccess.Read(_file, _buffer, _position);
                if (_bufferLength <= 0)
                {
                    throw Error("Unexpected end of file");
                }
            }

            int from = (int)(_position - _bufferStart);
            int n = Math.Min(destination.Length, _bufferLength - from);
            _buffer.AsSpan(from, n).CopyTo(destination);
            destination = destination[n..];
            _position += n;
        }
    }
}

/// <summary>
/// Reads bytes held in memory (a decompressed section, an option's data); problems are reported at
/// the file offset those bytes came from, with the position inside them in the message.
/// </summary>
internal sealed class MemoryCursor : DataCursor
{
    private readonly byte[] _data;
    private readonly long _fileOffset;
    private readonly string _what;
    private int _position;

    public MemoryCursor(byte[] data, long fileOffset, bool bigEndian, string what)
    {
        _data = data;
        _fileOffset = fileOffset;
        _what = what;
        BigEndian = bigEndian;
    }

    public override long Position => _position;
    public override long Length => _data.Length;

    protected override string Where => $" in {_what} at file offset 0x{_fileOffset:x} (byte {_position} of {_data.Length})";

    public override long ReportOffset(long position) => _fileOffset;

    public override Func<string> DeferredText(ulong count, string what)
    {
        int size = Size(count, what);
        byte[] data = _data;
        int at = _position;
        _position += size;
        return () => Encoding.UTF8.GetString(data, at, size).TrimEnd('\0');
    }

    public override void Seek(long position)
    {
        if (position < 0 || position > _data.Length)
        {
            throw Error($"Corrupt: position {position} is outside the section");
        }

        _position = (int)position;
    }

    protected override void ReadCore(Span<byte> destination)
    {
        _data.AsSpan(_position, destination.Length).CopyTo(destination);
        _position += destination.Length;
    }
}
