using System.Management.Automation;
using PSTrace.Core.Pictures;

namespace PSTrace.Commands;

/// <summary>
/// Export-TraceTimeline: piped events and records into a Trace Event Format timeline (JSON) that Perfetto UI,
/// chrome://tracing and speedscope open. Written as the records come, like Export-Csv; nothing is held.
/// </summary>
[Cmdlet(VerbsData.Export, "TraceTimeline", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportTraceTimelineCommand : TraceCmdlet
{
    /// <summary>The JSON file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    /// <summary>Events (Get-TraceEvent), call trees (Start-FunctionGraph) and records of the Watch-* commands.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Writes the file's FileInfo once it is complete.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Overwrites a read-only file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Refuses to overwrite a file that exists.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    private OutputFile? _file;
    private TimelineExporter? _exporter;
    private bool _declined;
    private long _received;
    private readonly SkippedRecords _skipped = new("a time (or a task) a timeline can place");

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // Checked before any input is read, so a wrong path costs nothing and changes nothing.
        if (!OutputFile.TryCheck(this, Path, NoClobber, Force, out _file, out ErrorRecord? error))
        {
            ThrowTerminatingError(error);
        }
    }

    protected override void ProcessRecord()
    {
        if (InputObject?.BaseObject is not { } record)
        {
            return;
        }

        _received++;
        if (_declined)
        {
            return;
        }

        if (TimelineExporter.TimeOf(record) is null or 0)
        {
            _skipped.Add(InputObject);
            return;
        }

        if ((_exporter ??= Open()) is not { } exporter)
        {
            return;
        }

        bool drawn;
        try
        {
            drawn = exporter.Add(record);
        }
        catch (IOException e)
        {
            // The disk refused a write: what was written goes, the target stays as it was.
            try
            {
                exporter.Dispose();
            }
            catch (IOException)
            {
                // Closing retries the write that failed; the file is deleted either way.
            }

            _exporter = null;
            _file!.Abandon();
            ThrowTerminatingError(new ErrorRecord(e, "TimelineNotWritten", ErrorCategory.WriteError, _file.Path));
            return;
        }

        if (!drawn)
        {
            _skipped.Add(InputObject);
        }
    }

    protected override void EndProcessing()
    {
        if (_exporter is null)
        {
            // One warning either way: why there is no file, and what was passed over.
            if (!_declined)
            {
                WriteWarning(_received == 0
                    ? $"No timeline written to {_file!.Path}: nothing came down the pipeline."
                    : $"No timeline written to {_file!.Path}: none of the {_received} records has {_skipped.Lacking} ({_skipped.Types()}).");
            }

            return;
        }

        _skipped.Warn(this, _received);
        long events = _exporter.EventsWritten;
        Finish();
        WriteVerbose($"Wrote {events} trace events to {_file!.Path}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(_file.Path));
        }
    }

    /// <summary>The file, opened at the first record it can show, so an empty pipeline leaves no file behind.</summary>
    private TimelineExporter? Open()
    {
        OutputFile file = _file!;
        if (!ShouldProcess(file.Path, "Write a trace timeline"))
        {
            _declined = true;
            return null;
        }

        try
        {
            WriteVerbose($"Writing {file.Path}.");
            return new TimelineExporter(file.OpenTemporary());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "TimelineNotWritten", ErrorCategory.WriteError, file.Path));
            return null;
        }
    }

    /// <summary>Closes the JSON and puts the file in place of the target.</summary>
    private void Finish()
    {
        if (_exporter is null)
        {
            return;
        }

        try
        {
            _exporter.Dispose();
            _exporter = null;
            _file!.Complete();
        }
        finally
        {
            _file!.Abandon();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A stopped pipeline (Ctrl+C, Select-Object -First) still leaves a whole file of what was drawn.
            Finish();
        }

        base.Dispose(disposing);
    }
}
