using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>Turns engine exceptions into ErrorRecords with a specific id, a category and the fix.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(TraceException e)
    {
        var record = new ErrorRecord(e, e.ErrorId, CategoryOf(e.Kind), e.Target);
        if (e.Fix is not null)
        {
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Fix };
        }

        return record;
    }

    public static ErrorRecord Parameter(string errorId, string message, object? target, string? fix = null)
    {
        var record = new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
        if (fix is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = fix };
        }

        return record;
    }

    private static ErrorCategory CategoryOf(TraceErrorKind kind) => kind switch
    {
        TraceErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        TraceErrorKind.TracefsMissing => ErrorCategory.ResourceUnavailable,
        TraceErrorKind.NotSupported => ErrorCategory.NotImplemented,
        TraceErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        TraceErrorKind.KernelRejected => ErrorCategory.InvalidArgument,
        TraceErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        TraceErrorKind.Busy => ErrorCategory.ResourceBusy,
        TraceErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        _ => ErrorCategory.NotSpecified,
    };
}
