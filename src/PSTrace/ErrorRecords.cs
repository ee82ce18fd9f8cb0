using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
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

    /// <summary>A probe definition refused before anything was written; <paramref name="parameter"/> names where the text came from.</summary>
    public static ErrorRecord InvalidProbe(ProbeValidationException e, string? parameter)
    {
        string message = parameter is null ? e.Message : $"-{parameter}: {e.Message}";
        return new ErrorRecord(e, "InvalidProbe." + e.Code, ErrorCategory.InvalidArgument, e.Text)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Nothing was written to the kernel. Correct the marked part and run the command again." },
        };
    }

    /// <summary>A program, library or function that could not be turned into a uprobe place.</summary>
    public static ErrorRecord Unresolved(SymbolResolutionException e) =>
        new(e, "SymbolNotResolved", ErrorCategory.ObjectNotFound, e.Symbol ?? e.File);

    /// <summary>A file that could not be read as a 64-bit ELF program or library.</summary>
    public static ErrorRecord NotElf(Exception e, object? target) =>
        new(e, "NotAnElfFile", ErrorCategory.InvalidData, target);

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
        TraceErrorKind.Io => ErrorCategory.WriteError,
        TraceErrorKind.InvalidData => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };
}
