using PSTrace.Core.Binary;
using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>
/// Turns the function_graph tracer's binary records (ftrace:funcgraph_entry and ftrace:funcgraph_exit,
/// from trace_pipe_raw or a trace.dat file) into <see cref="FunctionCall"/> trees, as the text reader
/// does for the tracer's text; every other record passes through unchanged, in order.
/// </summary>
/// <remarks>
/// The records carry the function as an address; it is named through the trace's kallsyms (an
/// address no symbol covers stays hex). An exit's duration is rettime - calltime, exact to the
/// nanosecond. A <see cref="TraceLostEvents"/> closes the calls open on its CPU (see
/// <see cref="FunctionCallTreeBuilder.EventsLost"/>) and passes through too.
/// </remarks>
public static class FunctionGraphRecords
{
    /// <param name="records">TraceEvent and TraceLostEvents objects in time order.</param>
    /// <param name="symbols">The traced kernel's symbols, to name the functions.</param>
    /// <param name="flat">One FunctionCall per call rather than one per outermost call.</param>
    public static IEnumerable<object> BuildCalls(IEnumerable<object> records, KernelSymbols symbols, bool flat = false)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        return BuildCalls(records, () => symbols, flat);
    }

    /// <param name="symbols">Gives the symbols when the first function_graph record comes (kallsyms is large; most traces never need it).</param>
    public static IEnumerable<object> BuildCalls(IEnumerable<object> records, Func<KernelSymbols> symbols, bool flat = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(symbols);
        return Build(records, new Lazy<KernelSymbols>(symbols), flat);
    }

    private static IEnumerable<object> Build(IEnumerable<object> records, Lazy<KernelSymbols> symbols, bool flat)
    {
        var builder = new FunctionCallTreeBuilder(flat);
        var names = new Dictionary<ulong, (string Name, string? Module)>();
        foreach (object record in records)
        {
            if (record is TraceEvent { System: "ftrace", Name: "funcgraph_entry" or "funcgraph_exit" } e && ToGraphEvent(e, symbols.Value, names) is { } graph)
            {
                builder.Add(graph);
            }
            else
            {
                if (record is TraceLostEvents lost)
                {
                    builder.EventsLost(lost.Cpu < 0 ? null : lost.Cpu);
                }

                while (builder.TryTake(out FunctionCall? done))
                {
                    yield return done;
                }

                yield return record;
                continue;
            }

            while (builder.TryTake(out FunctionCall? call))
            {
                yield return call;
            }
        }

        builder.Complete();
        while (builder.TryTake(out FunctionCall? call))
        {
            yield return call;
        }
    }

    /// <summary>The record as the tree builder's input; null when its fields are not the tracer's.</summary>
    internal static FunctionGraphEvent? ToGraphEvent(TraceEvent e, KernelSymbols symbols, Dictionary<ulong, (string Name, string? Module)> names)
    {
        if (!e.Fields.TryGetValue("func", out object? f) || f is not ulong address
            || !e.Fields.TryGetValue("depth", out object? d) || d is not long depth)
        {
            return null;
        }

        if (!names.TryGetValue(address, out (string Name, string? Module) name))
        {
            KernelSymbol? s = symbols.Lookup(address);
            name = s is not null && s.Address == address ? (s.Name, s.Module) : (symbols.Format(address), s?.Module);
            names[address] = name;
        }

        var graph = new FunctionGraphEvent
        {
            Kind = e.Name == "funcgraph_entry" ? FunctionGraphEventKind.Entry : FunctionGraphEventKind.Exit,
            Depth = (int)depth,
            Function = name.Name,
            Module = name.Module,
            Cpu = e.Cpu,
            ProcessId = e.ProcessId,
            Command = e.Command,
            TimestampNanoseconds = e.TimestampNanoseconds,
        };

        if (graph.Kind == FunctionGraphEventKind.Exit)
        {
            graph = graph with
            {
                DurationNanoseconds = e.Fields.GetValueOrDefault("calltime") is ulong call && e.Fields.GetValueOrDefault("rettime") is ulong ret && ret >= call
                    ? (long)(ret - call)
                    : null,
                Overruns = e.Fields.GetValueOrDefault("overrun") is ulong overrun ? (int)Math.Min(overrun, int.MaxValue) : null,
                ReturnValue = e.Fields.GetValueOrDefault("retval") is ulong retval ? unchecked((long)retval) : null,
            };
        }

        return graph;
    }
}
