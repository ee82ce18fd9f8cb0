using System.Management.Automation;
using PSTrace.Core.Binary;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Records;
using PSTrace.Core.Sessions;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;
using PSTrace.Core.Tracers;

namespace PSTrace;

/// <summary>Start-FunctionGraph and Start-FunctionTrace -Path: saved traces read into the records a live run gives.</summary>
public abstract partial class FunctionTracerCommandBase
{
    /// <summary>-Path: each file's records of this tracer, cut to -Function, -Exclude and -MaxDepth as the kernel would have cut them live.</summary>
    private void ReadSaved()
    {
        var catalog = new Lazy<Core.Formats.EventFormatCatalog?>(SavedTraceFiles.MachineCatalog);
        List<string> functions = Guard(() => Function.Select(FunctionPattern.Validate).ToList());
        List<string> excluded = Guard(() => Exclude.Select(FunctionPattern.Validate).ToList());
        foreach ((string file, bool literal) in SavedTraceFiles.Resolve(this, Path))
        {
            if (Cancellation.IsCancellationRequested)
            {
                return;
            }

            EventSource? source = SavedTraceFiles.Open(this, file, literal,
                () => EventSource.OpenSaved(file, catalog.Value, records: true, textFormat: IsGraph ? TraceTextFormat.FunctionGraph : TraceTextFormat.Function, token: Cancellation));
            if (source is null)
            {
                continue;
            }

            using (source)
            {
                WriteVerbose($"Reading {source.Description}.");
                var selection = new CallSelection(functions, excluded, GraphDepth ?? 0, FlatCalls);
                var reader = new FunctionTraceReader(source, IsGraph, selection: selection);
                var stream = new LiveStream(this, Cancellation) { Counts = item => item is not TraceLostEvents };
                try
                {
                    stream.Run(null, reader.Read, lostBaseline: null, source: file);
                }
                catch (TraceDataException e)
                {
                    WriteError(SavedTraceFiles.Corrupt(file, e));
                }

                DescribeSaved(file, reader.Records, selection);
            }
        }
    }

    private void DescribeSaved(string file, FunctionTracerRecords records, CallSelection selection)
    {
        if (records.Others > 0)
        {
            WriteVerbose($"{file}: left out {records.Others} record(s) that are not the {Tracer} tracer's: "
                + string.Join(", ", records.OthersByName.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}")) + ".");
        }

        if (selection.Excluded > 0)
        {
            WriteVerbose($"{file}: left out {selection.Excluded} record(s) outside -Function/-Exclude.");
        }

        if (records.Records == 0)
        {
            string what = IsGraph ? "function_graph calls (ftrace:funcgraph_entry/funcgraph_exit, or function_graph text)" : "function tracer hits (ftrace:function, or function tracer text)";
            WriteWarning($"{file} holds no {what}" + (records.Others > 0 ? $"; it holds {records.Others} record(s) of other kinds." : "."));
        }
    }
}
