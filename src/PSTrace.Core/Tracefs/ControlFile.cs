using System.Text;
using PSTrace.Core.Native;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// The one place that writes tracefs control files. It refuses text that could smuggle a second
/// command in, writes it in a single write(2), and on failure raises the kernel's own explanation
/// from error_log together with what was written.
/// </summary>
public static class ControlFile
{
    /// <param name="errorLogPath">The error_log to consult on failure (the instance's or the top level's); null to skip.</param>
    /// <param name="append">true for "&gt;&gt;" (probe files: truncating them would delete every probe), false for "&gt;".</param>
    public static void Write(string path, string text, bool append, string? errorLogPath)
    {
        EnsureSingleCommand(text, path);
        string before = errorLogPath is null ? "" : TryRead(errorLogPath);
        try
        {
            using SafeFileDescriptor fd = Libc.Open(path, Libc.O_WRONLY | (append ? Libc.O_APPEND : Libc.O_TRUNC));
            Libc.Write(fd, Encoding.UTF8.GetBytes(text + "\n"), path);
        }
        catch (NativeException e)
        {
            ErrorLogEntry? entry = errorLogPath is null ? null : NewEntry(before, TryRead(errorLogPath));
            throw new KernelRejectedException(path, text, e.Errno, e.ErrorText, entry, e);
        }
    }

    /// <summary>Reads a control or status file whole (tracefs files report size 0, so read to the end).</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TraceException(TraceErrorKind.PermissionDenied, "ReadDenied", $"Cannot read {path}: {e.Message}", Prerequisites.RootFix, path, e);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TraceException(TraceErrorKind.NotFound, "ControlFileMissing", $"{path} does not exist.", null, path, e);
        }
    }

    /// <summary>
    /// The last line of defence: control files take one command per write, separated by newlines, so
    /// text with a newline or another control character could define or delete something else.
    /// Callers validate their own syntax first; this only guarantees one line.
    /// </summary>
    internal static void EnsureSingleCommand(string text, string path)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c) && c != '\t')
            {
                throw new TraceException(TraceErrorKind.InvalidArgument, "ControlCharacterInInput",
                    $"Refused to write to {Path.GetFileName(path)}: the text contains a control character (U+{(int)c:X4}); a control file takes exactly one line.",
                    "Remove newlines and other control characters from the value.", text);
            }
        }
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The newest entry that was not there before the write (error_log is bounded, so compare entries, not lengths).</summary>
    private static ErrorLogEntry? NewEntry(string before, string after)
    {
        var old = new HashSet<string>(ErrorLogEntry.ParseAll(before).Select(e => e.Key), StringComparer.Ordinal);
        return ErrorLogEntry.ParseAll(after).LastOrDefault(e => !old.Contains(e.Key));
    }
}
