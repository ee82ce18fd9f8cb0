using System.Globalization;
using System.Management.Automation;
using PSTrace.Core.Pictures;
using PSTrace.Core.Streaming;

namespace PSTrace.Commands;

/// <summary>
/// Export-FlameGraph: stacks from the pipeline (FunctionCall trees, stack events, profile records, folded lines)
/// to a file, as Export-Csv writes records: an interactive SVG flame graph, or the folded stacks other tools read.
/// </summary>
[Cmdlet(VerbsData.Export, "FlameGraph", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportFlameGraphCommand : PSCmdlet
{
    /// <summary>A FunctionCall, an ftrace:kernel_stack or user_stack event, a record with Stack and Count or Weight, or a folded line.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The file to write; its extension picks the format when -Format is not given.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The heading of the SVG.</summary>
    [Parameter]
    [ValidateNotNull]
    public string Title { get; set; } = "Flame Graph";

    /// <summary>The SVG's width in pixels.</summary>
    [Parameter]
    [ValidateRange(200, 100000)]
    public int Width { get; set; } = 1200;

    /// <summary>Svg or Folded; by default, from the extension (.folded, .collapsed, .txt: Folded; anything else: Svg).</summary>
    [Parameter]
    public FlameGraphFormat Format { get; set; }

    /// <summary>Writes the file's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Replaces a read-only file (it stays read-only).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Refuses to replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    private readonly StackCollector _stacks = new(EventSource.ReadKallsyms);
    private OutputFile? _file;
    private FlameGraphFormat _format;
    private long _received;
    private long _skipped;

    protected override void BeginProcessing()
    {
        // Checked before any input is read, so a wrong path costs nothing and changes nothing.
        if (!OutputFile.TryCheck(this, Path, NoClobber, Force, out OutputFile? file, out ErrorRecord? error))
        {
            ThrowTerminatingError(error);
            return;
        }

        _file = file;
        _format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : FlameGraphFormats.FromPath(file.Path);
        WriteVerbose($"Writing {_format} to {file.Path}.");
    }

    protected override void ProcessRecord()
    {
        _received++;
        if (!FlameGraphInput.Add(_stacks, InputObject))
        {
            _skipped++;
        }
    }

    protected override void EndProcessing()
    {
        if (_skipped > 0)
        {
            WriteWarning(string.Create(CultureInfo.InvariantCulture,
                $"{_skipped} of {_received} input object(s) had no stack or no time and were left out (a FunctionCall whose duration was never seen, an event that is not ftrace:kernel_stack or ftrace:user_stack, a record without Stack and Count or Weight, a line that is not folded)."));
        }

        if (_stacks.IsMixed)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidDataException("The input mixes times (FunctionCall trees, Weight given as a TimeSpan) with sample counts; one flame graph shows one or the other. Nothing was written."),
                "MixedUnits", ErrorCategory.InvalidData, _file!.Path));
        }

        FoldedStacks stacks = _stacks.Stacks;
        if (stacks.Total == 0)
        {
            string why = _received == 0 ? "the pipeline gave no input" : $"none of the {_received} input object(s) carried a stack with a value";
            WriteError(new ErrorRecord(new InvalidDataException($"Nothing to draw: {why}. No file was written."), "NoStacks", ErrorCategory.InvalidData, _file!.Path)
            {
                ErrorDetails = new ErrorDetails($"Nothing to draw: {why}. No file was written.")
                {
                    RecommendedAction = "Pipe in FunctionCall trees (Start-FunctionGraph), stack events (a stacktrace trigger read by Get-TraceEvent), records with Stack and Count or Weight, or folded lines.",
                },
            });
            return;
        }

        OutputFile file = _file!;
        if (!ShouldProcess(file.Path, string.Create(CultureInfo.InvariantCulture, $"Write a flame graph of {stacks.Count} stack(s) ({_format})")))
        {
            return;
        }

        try
        {
            file.Write(writer => Write(writer, stacks));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "WriteFailed", ErrorCategory.WriteError, file.Path));
        }

        if (PassThru)
        {
            // Through the provider, so the FileInfo carries what Get-Item's does (the file system view's columns).
            WriteObject(InvokeProvider.Item.Get([file.Path], false, true), true);
        }
    }

    private void Write(TextWriter writer, FoldedStacks stacks)
    {
        if (_format == FlameGraphFormat.Folded)
        {
            stacks.WriteTo(writer);
            WriteVerbose($"Wrote {stacks.Count} folded stack(s), {stacks.Total} {Unit(stacks)} in all.");
            return;
        }

        FlameGraphSummary drawn = FlameGraphSvg.Write(writer, stacks, Title, Width);
        WriteVerbose($"Drew {drawn.FramesDrawn} frame(s) in {drawn.Depths} level(s) from {stacks.Count} stack(s), {stacks.Total} {Unit(stacks)} in all; "
            + $"{drawn.FramesTooNarrow} frame(s) narrower than {FlameGraphSvg.MinimumWidth} pixel were left out.");
    }

    private static string Unit(FoldedStacks stacks) => stacks.Unit == FlameValueUnit.Nanoseconds ? "ns" : "samples";
}
