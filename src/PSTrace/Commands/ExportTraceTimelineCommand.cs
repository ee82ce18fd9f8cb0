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

    private string _file = "";
    private TimelineExporter? _exporter;
    private bool _declined;
    private long _received;
    private readonly SkippedRecords _skipped = new("a time (or a task) a timeline can place");

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _file = OutputFiles.Resolve(this, Path, NoClobber);
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
            ThrowTerminatingError(new ErrorRecord(e, "TimelineNotWritten", ErrorCategory.WriteError, _file));
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
                    ? $"No timeline written to {_file}: nothing came down the pipeline."
                    : $"No timeline written to {_file}: none of the {_received} records has {_skipped.Lacking} ({_skipped.Types()}).");
            }

            return;
        }

        _skipped.Warn(this, _received);
        long events = _exporter.EventsWritten;
        _exporter.Dispose();
        _exporter = null;
        WriteVerbose($"Wrote {events} trace events to {_file}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(_file));
        }
    }

    /// <summary>The file, opened at the first record it can show, so an empty pipeline leaves no file behind.</summary>
    private TimelineExporter? Open()
    {
        if (!ShouldProcess(_file, "Write a trace timeline"))
        {
            _declined = true;
            return null;
        }

        return new TimelineExporter(OutputFiles.Create(this, _file, Force, NoClobber));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A stopped pipeline (Ctrl+C, Select-Object -First) still leaves a whole file of what was drawn.
            _exporter?.Dispose();
            _exporter = null;
        }

        base.Dispose(disposing);
    }
}
