using System.IO.Compression;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// The compression a v7 trace.dat names in its header: zstd (trace-cmd's first choice) or zlib
/// (the zlib format, as zlib's compress2 writes it). Used for compressed sections and CPU data chunks.
/// </summary>
internal abstract class Decompressor : IDisposable
{
    public static Decompressor? For(string name, long offset) => name switch
    {
        "none" => null,
        "zstd" => new Zstd(),
        "zlib" => new Zlib(),
        _ => throw new TraceDataException($"Unsupported compression '{name}' (this reader knows zstd and zlib)", offset),
    };

    /// <summary>Decompresses all of <paramref name="source"/> into <paramref name="destination"/>, which it must fill exactly.</summary>
    /// <param name="offset">The compressed data's file offset, for errors.</param>
    public void Decompress(ReadOnlySpan<byte> source, Span<byte> destination, long offset)
    {
        int written;
        try
        {
            written = DecompressCore(source, destination);
        }
        catch (Exception e) when (e is not TraceDataException and not OutOfMemoryException)
        {
            // Each library has its own exception types; callers see one.
            throw new TraceDataException($"Corrupt compressed data: {e.Message}", offset, e);
        }

        if (written != destination.Length)
        {
            throw new TraceDataException($"Corrupt compressed data: {written} bytes came out where {destination.Length} were announced", offset);
        }
    }

    /// <summary>
    /// Decompresses a metadata section whose header announces <paramref name="size"/> bytes. Streams
    /// into a growing buffer, so a corrupt size cannot make it allocate more than the data holds.
    /// </summary>
    public byte[] DecompressSection(byte[] source, int size, long offset)
    {
        try
        {
            using var input = new MemoryStream(source, writable: false);
            using Stream stream = OpenStream(input);
            using var output = new MemoryStream(Math.Min(size, source.Length * 4 + 4096));
            byte[] block = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(block, 0, (int)Math.Min(block.Length, (long)size + 1 - output.Length))) > 0)
            {
                output.Write(block, 0, read);
                if (output.Length > size)
                {
                    throw new TraceDataException($"Corrupt compressed section: more than the announced {size} bytes came out", offset);
                }
            }

            if (output.Length != size)
            {
                throw new TraceDataException($"Corrupt compressed section: {output.Length} bytes came out where {size} were announced", offset);
            }

            return output.ToArray();
        }
        catch (Exception e) when (e is not TraceDataException and not OutOfMemoryException)
        {
            throw new TraceDataException($"Corrupt compressed section: {e.Message}", offset, e);
        }
    }

    protected abstract int DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination);

    protected abstract Stream OpenStream(Stream compressed);

    public virtual void Dispose()
    {
    }

    private sealed class Zstd : Decompressor
    {
        private readonly ZstdSharp.Decompressor _zstd = new();

        protected override int DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            if (!_zstd.TryUnwrap(source, destination, out int written))
            {
                throw new InvalidDataException("zstd data does not fit its announced size");
            }

            return written;
        }

        protected override Stream OpenStream(Stream compressed) => new ZstdSharp.DecompressionStream(compressed);

        public override void Dispose() => _zstd.Dispose();
    }

    private sealed class Zlib : Decompressor
    {
        protected override unsafe int DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            fixed (byte* p = source)
            {
                using var input = new UnmanagedMemoryStream(p, source.Length);
                using var zlib = new ZLibStream(input, CompressionMode.Decompress);
                int total = zlib.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
                if (total == destination.Length && zlib.ReadByte() >= 0)
                {
                    throw new InvalidDataException("zlib data is longer than its announced size");
                }

                return total;
            }
        }

        protected override Stream OpenStream(Stream compressed) => new ZLibStream(compressed, CompressionMode.Decompress);
    }
}
