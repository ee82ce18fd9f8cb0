using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;
using static PSTrace.Tests.FunctionGraph.GraphFixtures;

namespace PSTrace.Tests.FunctionGraph;

/// <summary>
/// The builder fed records the way the binary path will feed it: funcgraph_entry and funcgraph_exit
/// events, a leaf being an entry followed by its exit (taken here from real trace-cmd report lines).
/// </summary>
public class FunctionCallTreeBuilderTests
{
    [Theory]
    [InlineData("tracecmd-report-fgraph-smp2.txt")]
    [InlineData("tracecmd-report-fgraph-tailprint.txt")]
    [InlineData("tracecmd-report-fgraph-openat2-F.txt")]
    public void EntryExitEvents_BuildTheSameTreesAsTheText(string fixture)
    {
        var builder = new FunctionCallTreeBuilder();
        var fromEvents = new List<object>();
        foreach (FunctionGraphLine line in Parsed(fixture))
        {
            switch (line.Kind)
            {
                case FunctionGraphLineKind.Entry:
                case FunctionGraphLineKind.Exit:
                    builder.Add(FunctionGraphTextReader.ToEvent(line));
                    break;
                case FunctionGraphLineKind.Leaf:
                    FunctionGraphEvent leaf = FunctionGraphTextReader.ToEvent(line);
                    builder.Add(leaf with { Kind = FunctionGraphEventKind.Entry, DurationNanoseconds = null });
                    builder.Add(leaf with
                    {
                        Kind = FunctionGraphEventKind.Exit,
                        TimestampNanoseconds = leaf.TimestampNanoseconds + (ulong)leaf.DurationNanoseconds!.Value,
                    });
                    break;
                case FunctionGraphLineKind.LostEvents:
                    builder.EventsLost(line.Cpu);
                    break;
            }

            while (builder.TryTake(out FunctionCall? call))
            {
                fromEvents.Add(call);
            }
        }

        builder.Complete();
        while (builder.TryTake(out FunctionCall? call))
        {
            fromEvents.Add(call);
        }

        Assert.Equal(0, builder.OpenCalls);
        Assert.Equal(Shape(Roots(fixture)), Shape(fromEvents.Cast<FunctionCall>()));
    }

    [Fact]
    public void ManyShortLivedTasks_OnlyLiveOnesAreRemembered()
    {
        // 2 CPUs, a dozen processes: at the end only the tasks last seen on each CPU and the shell
        // whose write stopped the trace (still open) are held.
        var builder = new FunctionCallTreeBuilder();
        List<FunctionGraphLine> lines = Parsed("fgraph-smp2-proc-abstime.txt");
        foreach (FunctionGraphLine line in lines.Where(l => l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf or FunctionGraphLineKind.Exit))
        {
            builder.Add(FunctionGraphTextReader.ToEvent(line));
            while (builder.TryTake(out _))
            {
            }
        }

        Assert.True(lines.Select(l => l.ProcessId).Distinct().Count() >= 10);
        Assert.InRange(builder.Tasks, 1, 3);
        Assert.Equal(1, builder.OpenCalls);
    }

    [Fact]
    public void TaskSwitches_WithoutPids()
    {
        // The text's default columns name no task: SwitchTask says who runs, and names the calls
        // of a task that was running before the first switch line on that CPU.
        var builder = new FunctionCallTreeBuilder();
        FunctionGraphLine[] lines = Parsed("fgraph-switch-pipe.txt").ToArray();
        int firstSwitch = Array.FindIndex(lines, l => l.Kind == FunctionGraphLineKind.ContextSwitch);
        int cut = Array.FindLastIndex(lines, firstSwitch, l => l.Kind == FunctionGraphLineKind.Entry && l.Depth == 0);

        // feed up to and including the last root's entry before the switch, so that root is still open
        foreach (FunctionGraphLine line in lines.Take(cut + 1).Where(l => l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf or FunctionGraphLineKind.Exit))
        {
            builder.Add(FunctionGraphTextReader.ToEvent(line));
        }

        FunctionGraphLine sw = lines[firstSwitch];
        builder.SwitchTask(sw.Cpu, sw.PreviousProcessId!.Value, sw.PreviousCommand, sw.ProcessId!.Value, sw.Command);
        builder.Complete();
        var roots = new List<FunctionCall>();
        while (builder.TryTake(out FunctionCall? call))
        {
            roots.Add(call);
        }

        Assert.All(roots.SkipLast(1), r => Assert.Null(r.ProcessId)); // handed out before the switch line named them
        Assert.Equal((272, "sh"), (roots[^1].ProcessId!.Value, roots[^1].Command!));
        Assert.True(roots[^1].IsExitLost);
    }

    private static List<string> Shape(IEnumerable<FunctionCall> roots) =>
        roots.SelectMany(r => r.GetDescendantsAndSelf())
            .Select(c => $"{c.Depth}:{c.Function}:{c.Cpu}:{c.ProcessId}:{c.DurationNanoseconds}:{c.TimestampNanoseconds}:{c.Children.Count}:{c.IsEntryLost}:{c.IsExitLost}")
            .ToList();
}
