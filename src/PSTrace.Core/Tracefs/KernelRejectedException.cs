using System.Text;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// The kernel refused a write to a control file. Carries what was written, where, the errno text,
/// and the kernel's own explanation from error_log (with its caret) when it logged one.
/// </summary>
public sealed class KernelRejectedException : TraceException
{
    public KernelRejectedException(string file, string written, int errno, string errnoText, ErrorLogEntry? logEntry, Exception? inner = null)
        : base(KindOf(errno), "KernelRejected", Describe(file, written, errnoText, logEntry), FixFor(errno, logEntry), written, inner)
    {
        File = file;
        Written = written;
        Errno = errno;
        ErrnoText = errnoText;
        LogEntry = logEntry;
    }

    public string File { get; }
    public string Written { get; }
    public int Errno { get; }
    public string ErrnoText { get; }

    /// <summary>The error_log entry this write produced, if the kernel logged one (some rejections log nothing).</summary>
    public ErrorLogEntry? LogEntry { get; }

    private static TraceErrorKind KindOf(int errno) => errno switch
    {
        Native.Errno.EBUSY => TraceErrorKind.Busy,
        Native.Errno.EEXIST => TraceErrorKind.AlreadyExists,
        Native.Errno.ENOENT or Native.Errno.ENODEV => TraceErrorKind.NotFound,
        Native.Errno.EPERM or Native.Errno.EACCES => TraceErrorKind.PermissionDenied,
        _ => TraceErrorKind.KernelRejected,
    };

    /// <summary>
    /// The kernel's own words come first when it logged any (e.g. a filter's "Missing matching quote"
    /// with a caret under the place): they say what is wrong with the text; the errno ("No such
    /// process") and the file only say where it was refused, so they follow.
    /// </summary>
    private static string Describe(string file, string written, string errnoText, ErrorLogEntry? log)
    {
        var sb = new StringBuilder();
        if (log is null)
        {
            return sb.Append("The kernel rejected '").Append(written).Append("' written to ").Append(file).Append(": ").Append(errnoText).Append('.').ToString();
        }

        sb.Append(log.Message);
        if (log.Command.Length > 0)
        {
            sb.AppendLine().Append("  Command: ").Append(log.Command);
            if (log.CaretPosition is int caret)
            {
                sb.AppendLine().Append(' ', "  Command: ".Length + caret).Append('^');
            }
        }

        sb.AppendLine().Append("(").Append(log.Subsystem).Append(": the kernel rejected '").Append(written).Append("' written to ")
            .Append(file).Append(": ").Append(errnoText).Append(".)");
        return sb.ToString();
    }

    private static string? FixFor(int errno, ErrorLogEntry? log) => errno switch
    {
        Native.Errno.EBUSY => "The object is in use: disable the event in every instance (Remove-TraceProbe -Force) or stop the reader, then retry.",
        Native.Errno.EPERM when log is null => "The kernel refused the operation (lockdown, or a kernel built without the feature): see Get-TraceCapability.",
        _ => null,
    };
}
