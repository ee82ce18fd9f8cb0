using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// The one way a saved trace is opened (Get-TraceEvent -Path, and every command that reads a file): checked
/// before anything is read, then told apart by its content, never by its name. A trace-cmd trace.dat is
/// opened as <see cref="TraceDat"/>; trace text as <see cref="Text"/>, read through a line reader that caps a
/// line's length and looks at the cancellation for every block. Everything else is refused with a
/// TraceException whose ErrorId says why: a directory, a device or socket (/dev/zero would never end), a
/// named pipe matched by a wildcard, binary data or text of no trace shape (/bin/ls, /etc/passwd).
/// </summary>
public sealed class SavedTraceFile : IDisposable
{
    // Enough to see binary data: a program or a zeroed file has a NUL in its first block; trace text never has one.
    private const int BinaryProbeLength = 4096;

    private readonly IDisposable _owned;

    private readonly Stream? _textStream;

    private SavedTraceFile(string path, SavedFileKind kind, TraceDatFile? traceDat, SavedTraceText? text, IDisposable owned, Stream? textStream = null)
    {
        Path = path;
        Kind = kind;
        TraceDat = traceDat;
        Text = text;
        _owned = owned;
        _textStream = textStream;
    }

    public string Path { get; }

    public SavedFileKind Kind { get; }

    /// <summary>The file as a trace.dat; null for trace text.</summary>
    public TraceDatFile? TraceDat { get; }

    /// <summary>The file as trace text; null for a trace.dat.</summary>
    public SavedTraceText? Text { get; }

    /// <summary>
    /// How far reading has come, in bytes of the file (of its CPU data, for a trace.dat); null for a named pipe,
    /// whose length is unknown.
    /// </summary>
    public (long Done, long Total)? Progress => TraceDat is { } dat ? dat.DataProgress
        : _textStream is { CanSeek: true } s ? (Math.Min(s.Position, s.Length), s.Length) : null;

    /// <summary>Checks and opens a saved trace.</summary>
    /// <param name="path">A file system path.</param>
    /// <param name="allowFifo">A named pipe is read (until its writer closes it) only when named on purpose, not matched by a wildcard.</param>
    /// <param name="token">Stops a wait for a pipe's writer, and any read after it, with an OperationCanceledException.</param>
    /// <exception cref="TraceException">The path is not a readable saved trace (see the class summary), or a text line is too long.</exception>
    /// <exception cref="TraceDataException">A trace.dat whose metadata is damaged.</exception>
    public static SavedTraceFile Open(string path, bool allowFifo, CancellationToken token)
    {
        SavedFileKind kind = SavedFileCheck.Check(path, allowFifo);
        bool isTraceDat = false;
        Stream stream = kind == SavedFileKind.Fifo ? new FifoStream(path, token) : OpenRegular(path, out isTraceDat);
        if (isTraceDat)
        {
            stream.Dispose();
            TraceDatFile dat = TraceDatFile.Open(path);
            return new SavedTraceFile(path, kind, dat, null, dat);
        }

        var lines = new BoundedLineReader(stream, path, token);
        try
        {
            SavedTraceText text = SavedTraceText.Sniff(lines, path);
            return new SavedTraceFile(path, kind, null, text, lines, stream);
        }
        catch
        {
            lines.Dispose();
            throw;
        }
    }

    /// <summary>A regular file opened for its text, after a look at its first block for trace.dat's magic or binary data.</summary>
    private static FileStream OpenRegular(string path, out bool isTraceDat)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceException(TraceErrorKind.PermissionDenied, "TraceFileUnreadable", $"Cannot read {path}: {e.Message}", "Check the file's permissions.", path, e);
        }

        Span<byte> start = stackalloc byte[BinaryProbeLength];
        int n = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        isTraceDat = TraceDatHeader.StartsLikeTraceDat(start[..n]);
        if (!isTraceDat && start[..n].Contains((byte)0))
        {
            stream.Dispose();
            throw SavedTraceText.NotTrace(path, 0);
        }

        return stream;
    }

    public void Dispose() => _owned.Dispose();
}
