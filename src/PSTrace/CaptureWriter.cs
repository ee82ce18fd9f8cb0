using System.Management.Automation;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>The end of a live read with -OutFile: the trace.dat written, then the reader's counters, in -Verbose.</summary>
internal static class CaptureWriter
{
    /// <summary>
    /// Writes the capture first: after a stop (Ctrl+C) writing to the pipeline throws, and the capture must not be lost.
    /// A file that cannot be written is an error, not a terminating one.
    /// </summary>
    /// <param name="delivered">Events that went to the pipeline (null: those the reader handed on).</param>
    /// <param name="keepThrough">The raw timestamp of the last event the file keeps (null: every page read).</param>
    public static void Finish(Cmdlet cmdlet, EventSource source, long? delivered, ulong? keepThrough, string? outFile)
    {
        string? saved = null;
        Exception? failed = null;
        try
        {
            saved = source.CompleteCapture(delivered, keepThrough);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TraceException)
        {
            failed = e;
        }

        if (source.Counters is { } counters)
        {
            cmdlet.WriteVerbose(counters);
        }

        if (saved is not null)
        {
            cmdlet.WriteVerbose(saved);
        }

        if (failed is not null)
        {
            cmdlet.WriteError(new ErrorRecord(failed, "OutFileNotWritten", ErrorCategory.WriteError, outFile));
        }
    }
}
