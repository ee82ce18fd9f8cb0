using PSTrace.Core.FunctionGraph;
using static PSTrace.Tests.FunctionGraph.GraphFixtures;

namespace PSTrace.Tests.FunctionGraph;

public class FunctionGraphLineParserTests
{
    private readonly FunctionGraphLineParser _parser = new();

    [Fact]
    public void DefaultColumns_EntryLeafExit()
    {
        // " 0)               |  vfs_read() {"
        FunctionGraphLine entry = _parser.Parse(Line("fgraph-vfs_read-default.txt", 5));
        Assert.Equal(FunctionGraphLineKind.Entry, entry.Kind);
        Assert.Equal(0, entry.Cpu);
        Assert.Equal(0, entry.Depth);
        Assert.Equal("vfs_read", entry.Function);
        Assert.Null(entry.DurationNanoseconds);

        // " 0) + 32.659 us   |            __rcu_read_lock();"
        FunctionGraphLine leaf = _parser.Parse(Line("fgraph-vfs_read-default.txt", 10));
        Assert.Equal(FunctionGraphLineKind.Leaf, leaf.Kind);
        Assert.Equal(5, leaf.Depth);
        Assert.Equal("__rcu_read_lock", leaf.Function);
        Assert.Equal(32_659, leaf.DurationNanoseconds);
        Assert.Equal('+', leaf.DurationMark);

        // " 0) ! 830.043 us  |  }"
        FunctionGraphLine exit = _parser.Parse(Line("fgraph-vfs_read-default.txt", 33));
        Assert.Equal(FunctionGraphLineKind.Exit, exit.Kind);
        Assert.Equal(0, exit.Depth);
        Assert.Null(exit.Function);
        Assert.Equal(830_043, exit.DurationNanoseconds);
        Assert.Equal('!', exit.DurationMark);
    }

    [Fact]
    public void LongDurationsKeepFewerDecimals()
    {
        // " 0) * 73998.75 us |      } /* schedule */": five digits of microseconds leave two decimals
        FunctionGraphLine exit = _parser.Parse(Line("fgraph-switch-pipe.txt", 577));
        Assert.Equal(FunctionGraphLineKind.Exit, exit.Kind);
        Assert.Equal('*', exit.DurationMark);
        Assert.Equal(73_998_750, exit.DurationNanoseconds);
        Assert.Equal("schedule", exit.Function);
        Assert.Equal(2, exit.Depth);
    }

    [Fact]
    public void TailAndModuleNames()
    {
        // " 0) + 24.927 us   |                } /* p9_req_put [9pnet] */"
        FunctionGraphLine exit = _parser.Parse(Line("fgraph-tiny-overwrite.txt", 6));
        Assert.Equal(FunctionGraphLineKind.Exit, exit.Kind);
        Assert.Equal("p9_req_put", exit.Function);
        Assert.Equal("9pnet", exit.Module);
        Assert.Equal(7, exit.Depth);

        // " 0)               |              p9_client_open [9pnet]() {"
        FunctionGraphLine entry = _parser.Parse(Line("fgraph-tiny-overwrite.txt", 9));
        Assert.Equal(FunctionGraphLineKind.Entry, entry.Kind);
        Assert.Equal("p9_client_open", entry.Function);
        Assert.Equal("9pnet", entry.Module);
        Assert.Equal(6, entry.Depth);
    }

    [Fact]
    public void ProcAbstimeLatencyColumns()
    {
        // "   94.868996 |   0)    cat-217     |  ...1. |   1.783 us    |            __rcu_read_lock();"
        FunctionGraphLine leaf = _parser.Parse(Line("fgraph-vfs_read-latency-proc-abstime.txt", 22));
        Assert.Equal(FunctionGraphLineKind.Leaf, leaf.Kind);
        Assert.Equal(94_868_996_000UL, leaf.TimestampNanoseconds);
        Assert.Equal(0, leaf.Cpu);
        Assert.Equal(217, leaf.ProcessId);
        Assert.Equal("cat", leaf.Command);
        Assert.Equal("...1.", leaf.Flags);
        Assert.Equal(1_783, leaf.DurationNanoseconds);
        Assert.Equal(5, leaf.Depth);
        Assert.Equal("__rcu_read_lock", leaf.Function);
    }

    [Theory]
    [InlineData("fgraph-vfs_read-nocpu.txt", 10, null, 5, 1_793L)] // "  1.793 us    |            __rcu_read_lock();"
    [InlineData("fgraph-vfs_read-noduration.txt", 10, 0, 5, null)] // " 0)           __rcu_read_lock();"
    [InlineData("fgraph-vfs_read-nooverhead.txt", 10, 0, 5, 2_053L)] // " 0)   2.053 us    |            __rcu_read_lock();"
    [InlineData("fgraph-vfs_read-nocpu-noduration-nooverhead.txt", 10, null, 5, null)] // "          __rcu_read_lock();"
    [InlineData("fgraph-vfs_read-nocontext.txt", 8, null, 5, null)]
    public void ColumnsOff(string fixture, int line, int? cpu, int depth, long? duration)
    {
        FunctionGraphLine leaf = _parser.Parse(Line(fixture, line));
        Assert.Equal(FunctionGraphLineKind.Leaf, leaf.Kind);
        Assert.Equal("__rcu_read_lock", leaf.Function);
        Assert.Equal(cpu, leaf.Cpu);
        Assert.Equal(depth, leaf.Depth);
        Assert.Equal(duration, leaf.DurationNanoseconds);
    }

    [Fact]
    public void ContextSwitch()
    {
        // " 0)    cat-273     =>   sleep-274   "
        FunctionGraphLine line = _parser.Parse(Line("fgraph-switch-pipe.txt", 404));
        Assert.Equal(FunctionGraphLineKind.ContextSwitch, line.Kind);
        Assert.Equal(0, line.Cpu);
        Assert.Equal(273, line.PreviousProcessId);
        Assert.Equal("cat", line.PreviousCommand);
        Assert.Equal(274, line.ProcessId);
        Assert.Equal("sleep", line.Command);
        Assert.Equal(FunctionGraphLineKind.Ignored, _parser.Parse(Line("fgraph-switch-pipe.txt", 403)).Kind);
    }

    [Fact]
    public void CommentsOverrunsAndLostEvents()
    {
        FunctionGraphLine comment = _parser.Parse(Line("fgraph-switch-pipe-events.txt", 7));
        Assert.Equal(FunctionGraphLineKind.Comment, comment.Kind);
        Assert.StartsWith("sched_switch: prev_comm=bash prev_pid=312", comment.Text);

        FunctionGraphLine overruns = _parser.Parse(Line("fgraph-vfs_read-overrun.txt", 13)); // " (Overruns: 0)"
        Assert.Equal(FunctionGraphLineKind.Overruns, overruns.Kind);
        Assert.Equal(0, overruns.Count);

        FunctionGraphLine lost = _parser.Parse(Line("fgraph-tiny-trace_pipe.txt", 1)); // "CPU:0 [LOST 6457 EVENTS]"
        Assert.Equal(FunctionGraphLineKind.LostEvents, lost.Kind);
        Assert.Equal(0, lost.Cpu);
        Assert.Equal(6457, lost.Count);

        FunctionGraphLine dropped = _parser.Parse(Line("tracecmd-report-fgraph.txt", 2)); // "CPU:0 [EVENTS DROPPED]"
        Assert.Equal(FunctionGraphLineKind.LostEvents, dropped.Kind);
        Assert.Null(dropped.Count);
    }

    [Fact]
    public void TraceCmdReportLines()
    {
        // "             cat-458   [000]   230.587598: funcgraph_entry:        1.893 us   |              irq_enter_rcu();"
        FunctionGraphLine leaf = _parser.Parse(Line("tracecmd-report-fgraph.txt", 4));
        Assert.Equal(FunctionGraphLineKind.Leaf, leaf.Kind);
        Assert.Equal(458, leaf.ProcessId);
        Assert.Equal("cat", leaf.Command);
        Assert.Equal(0, leaf.Cpu);
        Assert.Equal(230_587_598_000UL, leaf.TimestampNanoseconds);
        Assert.Equal(1_893, leaf.DurationNanoseconds);
        Assert.Equal(6, leaf.Depth);
        Assert.Equal("irq_enter_rcu", leaf.Function);

        // latency form: "     cat-458     0d..2.   230.587598: funcgraph_entry: ..."
        FunctionGraphLine latency = _parser.Parse(Line("tracecmd-report-fgraph-latency.txt", 4));
        Assert.Equal(leaf.Function, latency.Function);
        Assert.Equal(leaf.Depth, latency.Depth);
        Assert.Equal(leaf.TimestampNanoseconds, latency.TimestampNanoseconds);
        Assert.Equal("d..2.", latency.Flags);

        // "... funcgraph_exit:         7.181 us   |                  } /* __wake_up_common_lock */"
        FunctionGraphLine exit = _parser.Parse(Line("tracecmd-report-fgraph-tailprint.txt", 11));
        Assert.Equal(FunctionGraphLineKind.Exit, exit.Kind);
        Assert.Equal("__wake_up_common_lock", exit.Function);
        Assert.Equal(7_181, exit.DurationNanoseconds);
        Assert.Equal(8, exit.Depth);
    }

    public static TheoryData<string> GraphFixtureNames()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Fixtures.PathOf("6.1"), "*.txt").Order())
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith("fgraph-", StringComparison.Ordinal) && name != "fgraph-env-info.txt"
                || name.StartsWith("tracecmd-report-fgraph", StringComparison.Ordinal))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GraphFixtureNames))]
    public void EveryGraphLineIsUnderstood(string fixture)
    {
        // Only the capture's own notes ("== trace:", the filter list, a shell error) are not graph output.
        string[] lines = Lines(fixture);
        var unknown = lines.Where(l => _parser.Parse(l).Kind == FunctionGraphLineKind.Unrecognized).ToList();
        Assert.All(unknown, l => Assert.False(l.Contains('|') || l.Contains(')'), l));
        Assert.All(unknown, l => Assert.False(l.TrimEnd().EndsWith('{') || l.TrimEnd().EndsWith(';'), l));
    }

    [Theory]
    [MemberData(nameof(GraphFixtureNames))]
    public void EveryExitHasItsDepthAndEveryCallItsName(string fixture)
    {
        foreach (FunctionGraphLine line in Parsed(fixture))
        {
            if (line.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf)
            {
                Assert.False(string.IsNullOrEmpty(line.Function));
                Assert.DoesNotContain(' ', line.Function);
            }

            if (line.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf or FunctionGraphLineKind.Exit)
            {
                Assert.InRange(line.Depth, 0, 60);
            }
        }
    }
}
