using System.Management.Automation;
using PSTrace.Core.Binary;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;
using PSTrace.Core.Tracers;

namespace PSTrace;

/// <summary>
/// Shared by Start-FunctionGraph and Start-FunctionTrace: which functions, which tasks (every task, some
/// processes with all their threads, or a program started for the trace), how long; the session that
/// sets the kernel up and puts it back; and the stream from trace_pipe to the pipeline.
/// </summary>
public abstract partial class FunctionTracerCommandBase : TraceCmdlet
{
    protected const string AllSet = "All";
    protected const string ProcessSet = "Process";
    protected const string CommandSet = "Command";
    protected const string ScriptBlockSet = "ScriptBlock";
    protected const string PathSet = "Path";

    private readonly List<int> _processIds = new();

    /// <summary>Kernel functions to trace; wildcards allowed. Tab completes from available_filter_functions.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(FunctionNameCompleter))]
    public string[] Function { get; set; } = Array.Empty<string>();

    /// <summary>Kernel functions not to trace; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(FunctionNameCompleter))]
    public string[] Exclude { get; set; } = Array.Empty<string>();

    /// <summary>Trace only these processes, every thread of each (/proc/PID/task).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProcessSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, int.MaxValue)]
    public int[] ProcessId { get; set; } = Array.Empty<int>();

    /// <summary>Start this program (a path, or a name on PATH) and trace only it, from its first instruction.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CommandSet)]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    /// <summary>Arguments for -Command, passed as they are (no shell splits or expands them).</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [Alias("Args")]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Run this PowerShell code in a new pwsh process and trace only that process.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptBlockSet)]
    public ScriptBlock? ScriptBlock { get; set; }

    /// <summary>Leave the program -Command or -ScriptBlock started running when the trace stops (Ctrl+C) or this pwsh dies.</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = ScriptBlockSet)]
    public SwitchParameter LeaveRunning { get; set; }

    /// <summary>Also trace the threads and processes the traced ones start (options/function-fork).</summary>
    [Parameter(ParameterSetName = ProcessSet)]
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = ScriptBlockSet)]
    public SwitchParameter IncludeChildren { get; set; }

    /// <summary>Stop after this long (seconds, "500ms", "2m", or a TimeSpan); otherwise at Ctrl+C, or when -Command ends.</summary>
    [Parameter(ParameterSetName = AllSet)]
    [Parameter(ParameterSetName = ProcessSet)]
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = ScriptBlockSet)]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Also save the trace read, as the kernel's pages, to this trace.dat file (for trace-cmd report, or -Path later).</summary>
    [Parameter(ParameterSetName = AllSet)]
    [Parameter(ParameterSetName = ProcessSet)]
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = ScriptBlockSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Read a saved trace instead of the live kernel: a trace.dat file (-OutFile's, or trace-cmd record's) or saved trace text; wildcards.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>"function" or "function_graph".</summary>
    protected abstract string Tracer { get; }

    /// <summary>max_graph_depth; null to leave it.</summary>
    protected virtual int? GraphDepth => null;

    /// <summary>Turns trace_pipe text into records (FunctionCall or FunctionHit, and TraceLostEvents).</summary>
    protected abstract IEnumerable<object> Parse(TextReader text);

    /// <summary>One FunctionCall per call rather than one per tree (Start-FunctionGraph -Flat).</summary>
    protected virtual bool FlatCalls => false;

    private bool IsGraph => Tracer == FunctionTracingOptions.GraphTracer;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ProcessSet)
        {
            // Processes named or piped in are traced together, in one session, once the input ends.
            _processIds.AddRange(ProcessId);
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == PathSet)
        {
            ReadSaved();
            return;
        }

        if (ParameterSetName == AllSet && Function.Length == 0)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("UnboundedFunctionTrace",
                $"Tracing every kernel function on every CPU with the {Tracer} tracer would slow the whole machine to a crawl.",
                Tracer, "Name the functions with -Function, or limit the trace to a process with -ProcessId, -Command or -ScriptBlock."));
        }

        IReadOnlyList<int> threads = ParameterSetName == ProcessSet ? Guard(() => _processIds.Distinct().SelectMany(ProcessThreads.Of).Distinct().ToList()) : [];
        var options = Guard(() => new FunctionTracingOptions(Tracer, Function, Exclude, threads, IncludeChildren, GraphDepth));
        FunctionTracing tracing = Guard(() => FunctionTracing.Start(Fs, options));
        GatedProcess? program = null;
        try
        {
            DescribeSetup(tracing, threads);
            if (ParameterSetName is CommandSet or ScriptBlockSet)
            {
                program = StartProgram();
                Guard(() => tracing.TraceThreads([program.ProcessId]));
                threads = [program.ProcessId];
            }

            var scope = new CallScope(options.Functions, IncludeChildren ? null : threads);
            Stream(tracing, program, scope);
            if (scope.Excluded > 0)
            {
                WriteVerbose($"Left out {scope.Excluded} record(s) the kernel wrote outside the functions and tasks asked for (calls of the tasks switched to and from).");
            }
        }
        finally
        {
            program?.Dispose();
            tracing.Dispose();
            foreach (string failure in tracing.CleanupFailures)
            {
                WriteWarning("Cleanup: " + failure);
            }
        }
    }

    private GatedProcess StartProgram() => ProgramStarter.Start(this, Command, ArgumentList, ScriptBlock, LeaveRunning, Cancellation, "tracing");

    private void DescribeSetup(FunctionTracing tracing, IReadOnlyList<int> threads)
    {
        WriteVerbose(tracing.UsesTopLevel
            ? $"This kernel runs {Tracer} only in the top-level buffer, which is idle: using it, and putting back afterwards what is changed there ({tracing.SessionName} holds the session)."
            : $"Tracing with {Tracer} in instance {tracing.SessionName}.");
        if (tracing.MatchedFunctions is int matched)
        {
            WriteVerbose($"{matched} kernel function(s) match {string.Join(", ", Function)}.");
        }

        if (threads.Count > 0)
        {
            WriteVerbose($"Tracing {threads.Count} thread(s) of process(es) {string.Join(", ", _processIds.Distinct())}{(IncludeChildren ? ", and their children" : "")}.");
        }
    }

    /// <summary>
    /// Follows the tracer's buffer through the loop every live cmdlet shares (<see cref="LiveStream"/>): its binary
    /// pages where the kernel has them (<see cref="LiveFunctionTrace"/>), else trace_pipe's text. The end (-Duration,
    /// the started program's exit) lets the reader finish what was recorded until then: an end marker on the binary
    /// path, tracing_on=0 and a read until trace_pipe runs dry on the text path. Lost events come out as
    /// TraceLostEvents records with a warning.
    /// </summary>
    private void Stream(FunctionTracing tracing, GatedProcess? program, CallScope scope)
    {
        TraceBuffer buffer = tracing.Buffer;
        IReadOnlyList<CpuBufferStats> baseline = Guard(() => CpuBufferStats.Read(buffer));
        using LiveFunctionTrace? binary = OpenBinary(tracing);
        using var drain = new CancellationTokenSource();
        var stream = new LiveStream(this, Cancellation)
        {
            Duration = Duration,
            Counts = item => item is not TraceLostEvents,

            // The reader stops on the session closing too (a SIGTERM disposes it from another thread).
            ReaderStop = tracing.Closing,
            RequestEnd = binary is not null
                ? () => Guard(binary.RequestEnd)
                : () =>
                {
                    Guard(() => tracing.TracingOn(false));
                    drain.Cancel();
                },
            EndCondition = () => program is { HasExited: true },
            Finish = binary is null ? null : () => CaptureWriter.Finish(this, binary.Source, null, binary.EndOfRead, OutFile),
            LostAdvice = "Calls around the gap are marked IsEntryLost or IsExitLost.",
            KernelLossAdvice = $"Trace fewer functions (-Function, -Exclude{(IsGraph ? ", -MaxDepth" : "")}) or fewer tasks.",
        };
        Guard(() => tracing.TracingOn(true));
        program?.Release();
        try
        {
            stream.Run(buffer, token => InScope(binary is not null ? binary.Read(token) : ReadPipe(buffer, token, drain.Token), scope), baseline);
        }
        finally
        {
            if (program is { HasExited: true, ExitCode: int code })
            {
                WriteVerbose($"{program.Program} exited with code {code}.");
            }

            if (binary is { Reader.Records.Others: > 0 })
            {
                WriteVerbose($"Left out {binary.Reader.Records.Others} event(s) of other kinds read from the buffer.");
            }
        }
    }

    /// <summary>The binary reader of the tracer's buffer, or null where only trace_pipe's text can be read (-OutFile then cannot be kept).</summary>
    private LiveFunctionTrace? OpenBinary(FunctionTracing tracing)
    {
        if (!LiveFunctionTrace.CanRead(tracing))
        {
            if (OutFile is not null)
            {
                ThrowTerminatingError(ErrorRecords.Parameter("OutFileNeedsBinaryPages",
                    "-OutFile saves the binary pages of per-CPU trace_pipe_raw, which this kernel does not have.", OutFile, "Leave out -OutFile, or save the records with Export-Clixml."));
            }

            WriteVerbose($"Reading {tracing.Buffer.DisplayName} through trace_pipe (text): this kernel has no per-CPU trace_pipe_raw or ftrace event formats.");
            return null;
        }

        string? outFile = OutFile is null ? null : GetUnresolvedProviderPathFromPSPath(OutFile);
        try
        {
            LiveFunctionTrace binary = Guard(() => LiveFunctionTrace.Open(tracing, FlatCalls, outFile));
            WriteVerbose($"Reading {binary.Source.Description}.");
            return binary;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "OutFileNotWritable", ErrorCategory.WriteError, OutFile));
            throw; // not reached
        }
    }

    /// <summary>Calls and hits of the functions and tasks asked for (the kernel also writes those of tasks switched to and from).</summary>
    private static IEnumerable<object> InScope(IEnumerable<object> records, CallScope scope) =>
        records.Where(item => !(item is FunctionCall call && !scope.Includes(call) || item is FunctionHit hit && !scope.Includes(hit)));

    private IEnumerable<object> ReadPipe(TraceBuffer buffer, CancellationToken token, CancellationToken drain)
    {
        using var reader = new TracePipeTextReader(buffer, token, drain);
        foreach (object item in Parse(reader))
        {
            yield return item;
        }
    }
}
