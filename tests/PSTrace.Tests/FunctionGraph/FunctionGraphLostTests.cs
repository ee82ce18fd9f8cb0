using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;
using static PSTrace.Tests.FunctionGraph.GraphFixtures;

namespace PSTrace.Tests.FunctionGraph;

/// <summary>Real traces whose buffer lost records: calls are kept, marked, and never nested across a gap.</summary>
public class FunctionGraphLostTests
{
    [Fact]
    public void OverwrittenStart_ExitsWithoutEntriesBecomeEntryLostCalls()
    {
        // buffer_size_kb=8, overwrite on: the trace begins with exits whose entries were overwritten:
        //   } /* kmem_cache_free */ (d8), } /* p9_req_put [9pnet] */ (d7), kfree(); (d7), } /* p9_client_walk [9pnet] */ (d6)
        FunctionCall root = Assert.Single(Roots("fgraph-tiny-overwrite.txt"));
        Assert.Equal("do_sys_openat2", root.Function);
        Assert.True(root.IsEntryLost);
        Assert.False(root.IsExitLost);
        Assert.Equal(1_305_526, root.DurationNanoseconds);
        Assert.Null(root.TimestampNanoseconds);

        FunctionCall walk = root.GetDescendantsAndSelf().Single(c => c.Function == "p9_client_walk");
        Assert.Equal("9pnet", walk.Module);
        Assert.True(walk.IsEntryLost);
        Assert.Equal(500_650, walk.DurationNanoseconds);
        Assert.Equal(6, walk.Depth);
        Assert.Equal(["p9_req_put", "kfree"], walk.Children.Select(c => c.Function));
        FunctionCall put = walk.Children[0];
        Assert.True(put.IsEntryLost);
        Assert.Equal(24_927, put.DurationNanoseconds);
        FunctionCall free = Assert.Single(put.Children);
        Assert.Equal(("kmem_cache_free", true, 1_803L), (free.Function, free.IsEntryLost, free.DurationNanoseconds!.Value));
        Assert.False(walk.Children[1].IsEntryLost);

        // p9_client_open began after p9_client_walk returned: its sibling under the same lost-entry parent
        Assert.Contains(walk.GetParent()!.Children, c => c.Function == "p9_client_open" && !c.IsEntryLost);

        List<FunctionGraphLine> lines = Parsed("fgraph-tiny-overwrite.txt");
        List<FunctionCall> calls = root.GetDescendantsAndSelf().ToList();
        Assert.Equal(9, calls.Count(c => c.IsEntryLost)); // depths 8 down to 0
        Assert.Equal(lines.Count(l => l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf) + 9, calls.Count);
        Assert.All(calls.Where(c => c.IsEntryLost), c => Assert.NotNull(c.Function)); // the kernel names an exit whose entry it lost
    }

    [Fact]
    public void DroppedEnd_EntriesWithoutExitsBecomeExitLostCalls()
    {
        // overwrite off: the buffer filled and the rest was dropped, leaving the last open calls without exits
        List<FunctionCall> roots = Roots("fgraph-tiny-nooverwrite.txt");
        FunctionCall last = roots[^1];
        Assert.Equal("do_sys_openat2", last.Function);
        Assert.True(last.IsExitLost);
        Assert.Null(last.DurationNanoseconds);
        Assert.Null(last.SelfTimeNanoseconds);

        var chain = new List<FunctionCall> { last };
        while (chain[^1].Children.Count > 0 && chain[^1].Children[^1].IsExitLost)
        {
            chain.Add(chain[^1].Children[^1]);
        }

        Assert.Equal([0, 1, 2, 3], chain.Select(c => c.Depth));
        Assert.Equal(4, AllCalls("fgraph-tiny-nooverwrite.txt").Count(c => c.IsExitLost));
        // " 0) + 28.713 us   |          }" (the last line) closed the depth-4 call below the chain
        Assert.Equal(28_713, chain[^1].Children[^1].DurationNanoseconds);
    }

    [Fact]
    public void LostEventsLine_ComesOutInPlace()
    {
        List<object> records = GraphRecords("fgraph-tiny-trace_pipe.txt");
        var lost = Assert.IsType<TraceLostEvents>(records[0]);
        Assert.Equal((0, 6457L), (lost.Cpu, lost.Count!.Value));
        FunctionCall root = Assert.Single(records.OfType<FunctionCall>());
        Assert.True(root.IsEntryLost);
        Assert.Equal(23, root.GetDescendantsAndSelf().Count(c => c.IsEntryLost));
    }

    [Fact]
    public void LiveTracePipeWithGaps_NoCallSpansAGap()
    {
        // 19 "CPU:0 [LOST n EVENTS]" lines in a trace_pipe read that ran while the buffer overflowed.
        string[] lines = Lines("fgraph-tiny-trace_pipe-live.txt");
        List<object> records = GraphRecords("fgraph-tiny-trace_pipe-live.txt");
        List<TraceLostEvents> lost = records.OfType<TraceLostEvents>().ToList();
        Assert.Equal(19, lost.Count);
        Assert.Equal(19_619, lost.Sum(l => l.Count));

        // Building each stretch between two gaps on its own gives exactly the same calls, in the same order.
        var expected = new List<object>();
        var segment = new List<string>();
        foreach (string line in lines.Append("CPU:0 [LOST 0 EVENTS]"))
        {
            if (line.StartsWith("CPU:", StringComparison.Ordinal))
            {
                expected.AddRange(new FunctionGraphTextReader().Read(new StringReader(string.Join('\n', segment))));
                segment.Clear();
                expected.Add(line);
            }
            else
            {
                segment.Add(line);
            }
        }

        expected.RemoveAt(expected.Count - 1);
        Assert.Equal(
            expected.Select(r => r is FunctionCall c ? Describe(c) : "lost"),
            records.Select(r => r is FunctionCall c ? Describe(c) : "lost"));

        List<FunctionCall> calls = records.OfType<FunctionCall>().SelectMany(r => r.GetDescendantsAndSelf()).ToList();
        Assert.Contains(calls, c => c.IsEntryLost);
        Assert.Contains(calls, c => c.IsExitLost);
        Assert.All(calls, c => Assert.Equal(c.GetParent()?.ProcessId ?? c.ProcessId, c.ProcessId));
    }

    [Fact]
    public void TraceCmdDroppedEvents_StartMidCall()
    {
        // trace-cmd record lost 121 events; its report starts "CPU:0 [EVENTS DROPPED]" then
        // "__rcu_read_lock() {" at depth 5: the exits of depths 4..0 come without entries.
        List<object> records = GraphRecords("tracecmd-report-fgraph.txt");
        var dropped = Assert.IsType<TraceLostEvents>(records[0]);
        Assert.Null(dropped.Count);

        FunctionCall first = Assert.IsType<FunctionCall>(records[1]);
        Assert.True(first.IsEntryLost);
        Assert.Null(first.Function); // trace-cmd report names no exit by default
        Assert.Equal(0, first.Depth);
        Assert.Equal(458, first.ProcessId);
        Assert.Equal("cat", first.Command);
        FunctionCall rcu = first.GetDescendantsAndSelf().First(c => c.Function == "__rcu_read_lock");
        Assert.Equal(5, rcu.Depth);
        Assert.False(rcu.IsEntryLost || rcu.IsExitLost);
        Assert.Equal(230_587_531_000UL, rcu.TimestampNanoseconds);
        Assert.Equal(5, first.GetDescendantsAndSelf().Count(c => c.IsEntryLost));

        // With -O fgraph:tailprint the same exits carry names.
        FunctionCall named = Roots("tracecmd-report-fgraph-tailprint.txt")[0];
        Assert.Equal("vfs_read", named.Function);
        Assert.True(named.IsEntryLost);
        Assert.Equal(first.DurationNanoseconds, named.DurationNanoseconds);
        // a lost entry's start is its exit time less its duration
        Assert.Equal(named.TimestampNanoseconds, first.TimestampNanoseconds);
        Assert.NotNull(first.TimestampNanoseconds);
    }

    private static string Describe(FunctionCall root) => string.Join(";", root.GetDescendantsAndSelf()
        .Select(c => $"{c.Depth}:{c.Function}:{c.DurationNanoseconds}:{c.Children.Count}:{c.IsEntryLost}:{c.IsExitLost}"));
}
