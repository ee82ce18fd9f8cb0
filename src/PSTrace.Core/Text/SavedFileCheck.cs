using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Text;

/// <summary>
/// The first check on a path given to read as a saved trace, before it is opened: a regular file is read;
/// a named pipe (FIFO) only when the caller says it was named on purpose (it is then read until its writer
/// closes it, and a cancellation stops the wait); a directory, a device (/dev/zero, a terminal) or a socket
/// never, because reading one either fails with a raw error, never ends, or fills memory.
/// </summary>
public static class SavedFileCheck
{
    /// <summary>The kind of a readable path; a TraceException with a specific ErrorId for any other.</summary>
    /// <param name="path">A file system path (resolved, not a PowerShell path).</param>
    /// <param name="allowFifo">Whether a named pipe may be read (it was named literally, not matched by a wildcard).</param>
    /// <exception cref="TraceException">TraceFileNotFound, TraceFileIsDirectory, TraceFileNotRegular, TraceFileUnreadable.</exception>
    public static SavedFileKind Check(string path, bool allowFifo)
    {
        int type;
        try
        {
            type = Libc.FileType(path);
        }
        catch (NativeException e) when (e.Errno == Errno.ENOENT)
        {
            throw new TraceException(TraceErrorKind.NotFound, "TraceFileNotFound", $"{path} does not exist.", null, path, e);
        }
        catch (NativeException e)
        {
            throw new TraceException(TraceErrorKind.PermissionDenied, "TraceFileUnreadable", $"Cannot read {path}: {e.ErrorText}.", "Check the path and its permissions.", path, e);
        }

        switch (type)
        {
            case Libc.S_IFREG:
                return SavedFileKind.Regular;
            case Libc.S_IFIFO when allowFifo:
                return SavedFileKind.Fifo;
            case Libc.S_IFIFO:
                throw new TraceException(TraceErrorKind.InvalidArgument, "TraceFileNotRegular", $"{path} is a named pipe: only Get-TraceEvent -Path reads one, and only when it is named without wildcards.",
                    "Give the pipe's path to Get-TraceEvent -Path without wildcards to read what its writer sends, or save the trace to a file first.", path);
            case Libc.S_IFDIR:
                throw new TraceException(TraceErrorKind.InvalidArgument, "TraceFileIsDirectory", $"{path} is a directory, not a saved trace.",
                    "Give a trace.dat file or a file of trace text; a wildcard such as dir/* skips directories.", path);
            default:
                throw new TraceException(TraceErrorKind.InvalidArgument, "TraceFileNotRegular", $"{path} is {Describe(type)}, not a saved trace; only regular files (and named pipes given by name) are read.",
                    "Save the trace to a file first (for example cat trace_pipe > trace.txt, or Get-TraceEvent -OutFile), then read that file.", path);
        }
    }

    private static string Describe(int type) => type switch
    {
        Libc.S_IFCHR => "a character device",
        Libc.S_IFBLK => "a block device",
        Libc.S_IFSOCK => "a socket",
        _ => "not a regular file",
    };
}
