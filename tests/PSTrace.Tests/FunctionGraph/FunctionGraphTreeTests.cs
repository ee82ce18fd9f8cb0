using System.Text.Json;
using PSTrace.Core.Records;
using PSTrace.Core.FunctionGraph;
using static PSTrace.Tests.FunctionGraph.GraphFixtures;

namespace PSTrace.Tests.FunctionGraph;

public class FunctionGraphTreeTests
{
    [Fact]
    public void DefaultTrace_FirstTreeByHand()
    {
        List<FunctionCall> roots = Roots("fgraph-vfs_read-default.txt");
        Assert.Equal(8, roots.Count); // eight "vfs_read" lines at depth 0
        Assert.All(roots, r => Assert.Equal("vfs_read", r.Function));

        FunctionCall first = roots[0];
        Assert.Equal(830_043, first.DurationNanoseconds);
        Assert.Equal(["rw_verify_area", "__get_task_ioprio", "generic_file_read_iter"], first.Children.Select(c => c.Function));
        Assert.Equal([191_877L, 1_982L, 44_016L], first.Children.Select(c => c.DurationNanoseconds!.Value));
        // 830.043 - (191.877 + 1.982 + 44.016) = 592.168 us
        Assert.Equal(592_168, first.SelfTimeNanoseconds);
        Assert.Equal(TimeSpan.FromTicks(5_921), first.SelfTime);

        FunctionCall security = first.Child("rw_verify_area").Child("security_file_permission");
        Assert.Equal(173_670, security.DurationNanoseconds);
        Assert.Equal(["apparmor_file_permission", "bpf_lsm_file_permission"], security.Children.Select(c => c.Function));
        Assert.Equal(173_670 - 163_996 - 1_802, security.SelfTimeNanoseconds); // 7.872 us
        FunctionCall rcu = security.Child("apparmor_file_permission").Child("aa_file_perm").Children[0];
        Assert.Equal("__rcu_read_lock", rcu.Function);
        Assert.True(rcu.IsLeaf);
        Assert.Equal(5, rcu.Depth);
        Assert.Same(security, rcu.GetParent()!.GetParent()!.GetParent());
        Assert.Null(first.GetParent());
        Assert.Null(first.ProcessId); // the default columns never name the task, and no context switch did
    }

    public static TheoryData<string> VfsReadVariants() => new()
    {
        "fgraph-vfs_read-default.txt", "fgraph-vfs_read-proc.txt", "fgraph-vfs_read-abstime.txt",
        "fgraph-vfs_read-tail.txt", "fgraph-vfs_read-tgid.txt", "fgraph-vfs_read-irqinfo0.txt",
        "fgraph-vfs_read-nocpu.txt", "fgraph-vfs_read-noduration.txt", "fgraph-vfs_read-nooverhead.txt",
        "fgraph-vfs_read-nocpu-noduration-nooverhead.txt", "fgraph-vfs_read-all.txt", "fgraph-vfs_read-latency.txt",
        "fgraph-vfs_read-latency-proc-abstime.txt", "fgraph-vfs_read-overrun.txt", "fgraph-vfs_read-nocontext.txt",
        "fgraph-vfs_read-depth1.txt", "fgraph-vfs_read-counter.txt", "fgraph-vfs_read-trace_pipe.txt",
    };

    [Theory]
    [MemberData(nameof(VfsReadVariants))]
    public void EveryOptionVariant_OneCallPerEntryOrLeafLine_RootsAreTheReads(string fixture)
    {
        List<FunctionGraphLine> lines = Parsed(fixture);
        List<FunctionCall> roots = Roots(fixture);
        List<FunctionCall> calls = roots.SelectMany(r => r.GetDescendantsAndSelf()).ToList();

        Assert.Equal(lines.Count(l => l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf), calls.Count);
        Assert.Equal(lines.Count(l => l.Depth == 0 && l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf), roots.Count);
        Assert.All(roots, r => Assert.Equal("vfs_read", r.Function));
        Assert.All(calls, c => Assert.False(c.IsEntryLost || c.IsExitLost, c.ToString()));

        // The calls come out in the order the lines named them.
        Assert.Equal(
            lines.Where(l => l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf).Select(l => (l.Function, l.Depth)),
            calls.Select(c => (c.Function, c.Depth)));

        bool hasDurations = lines.Any(l => l.DurationNanoseconds is not null);
        Assert.All(calls, c => Assert.Equal(hasDurations, c.DurationNanoseconds is not null));
        if (hasDurations)
        {
            // A parent lasts at least as long as its children together.
            Assert.All(calls, c => Assert.True(c.DurationNanoseconds >= c.Children.Sum(k => k.DurationNanoseconds), c.ToString()));
        }
    }

    [Fact]
    public void Abstime_GivesEveryCallItsStart()
    {
        List<FunctionCall> roots = Roots("fgraph-vfs_read-abstime.txt");
        Assert.Equal(21_047_895_000UL, roots[0].TimestampNanoseconds); // "   21.047895 |   0)               |  vfs_read() {"
        Assert.Equal(21.047895m, roots[0].Timestamp);
        Assert.Equal(21_048_078_000UL, roots[1].TimestampNanoseconds);
        Assert.All(roots.SelectMany(r => r.GetDescendantsAndSelf()), c => Assert.NotNull(c.TimestampNanoseconds));
    }

    [Fact]
    public void Proc_NamesEveryCallsTask()
    {
        List<FunctionCall> calls = AllCalls("fgraph-vfs_read-proc.txt");
        Assert.All(calls, c => Assert.Equal(151, c.ProcessId));
        Assert.All(calls, c => Assert.Equal("cat", c.Command));
    }

    [Fact]
    public void Overruns_AttachToTheExitAbove()
    {
        List<FunctionCall> calls = AllCalls("fgraph-vfs_read-overrun.txt");
        Assert.All(calls.Where(c => !c.IsLeaf), c => Assert.Equal(0, c.Overruns));
        Assert.All(calls.Where(c => c.IsLeaf), c => Assert.Null(c.Overruns));
    }

    [Fact]
    public void Latency_FlagsDoNotDisturbTheTree()
    {
        List<FunctionCall> calls = AllCalls("fgraph-vfs_read-latency.txt");
        Assert.Equal(200, calls.Count);
        Assert.Equal(8, Roots("fgraph-vfs_read-latency.txt").Count);
    }

    [Fact]
    public void ContextSwitches_CallsNestPerTaskAcrossTheSwitch()
    {
        List<object> records = GraphRecords("fgraph-switch-pipe.txt");
        List<FunctionCall> roots = records.OfType<FunctionCall>().ToList();

        // Before the first "sh-272 => cat-273" line nothing named the task; after it, the switch lines do.
        Assert.Null(roots[0].ProcessId);
        Assert.Equal("vfs_read", roots[0].Function);

        // cat-273 blocked in pipe_read: "schedule() {" at line 359, the switch to sleep-274 at 404,
        // sh-272 at 493, back to cat at 571, then "} /* schedule */" (73998.75 us) and the read ends at 608.
        FunctionCall read = roots.Single(r => r.DurationNanoseconds == 74_117_540);
        Assert.Equal("vfs_read", read.Function);
        Assert.Equal(273, read.ProcessId);
        Assert.Equal("cat", read.Command);
        FunctionCall pipeRead = read.Child("pipe_read");
        Assert.Equal(74_099_270, pipeRead.DurationNanoseconds);
        FunctionCall schedule = pipeRead.Child("schedule");
        Assert.Equal(73_998_750, schedule.DurationNanoseconds);
        Assert.Equal("rcu_note_context_switch", schedule.Children[0].Function);
        Assert.Equal(["save_fpregs_to_fpstate", "finish_task_switch.isra.0"], schedule.Children.TakeLast(2).Select(c => c.Function));
        Assert.All(read.GetDescendantsAndSelf(), c => Assert.Equal(273, c.ProcessId));

        // The calls of sleep-274 and sh-272 that ran while cat slept came out first, as their own trees.
        int readAt = roots.IndexOf(read);
        Assert.Contains(roots.Take(readAt), r => r.ProcessId == 274 && r.Function == "vfs_read");
        Assert.Contains(roots.Take(readAt), r => r.ProcessId == 272 && r.Function == "vfs_write");

        // Only the shell's last write (the "echo 0 > tracing_on" that stopped the trace) never returned.
        FunctionCall unfinished = Assert.Single(roots.SelectMany(r => r.GetDescendantsAndSelf()), c => c.IsExitLost);
        Assert.Same(roots[^1], unfinished);
        Assert.Equal("vfs_write", unfinished.Function);
    }

    [Theory]
    [InlineData("fgraph-switch-pipe-proc.txt")]
    [InlineData("fgraph-switch-pipe-all.txt")]
    [InlineData("fgraph-smp2-proc-abstime.txt")]
    [InlineData("tracecmd-report-fgraph-smp2.txt")]
    public void InterleavedTasks_BuildTheSameTreesAsEachTaskAlone(string fixture)
    {
        // Every line names its task here: building from one task's lines alone must give the same trees.
        string[] lines = Lines(fixture);
        var parser = new FunctionGraphLineParser();
        List<FunctionCall> all = Roots(fixture);
        foreach (IGrouping<int?, FunctionCall> task in all.GroupBy(r => r.ProcessId))
        {
            var reader = new FunctionGraphTextReader();
            IEnumerable<string> own = lines.Where(l => parser.Parse(l) is { ProcessId: { } pid, Kind: not FunctionGraphLineKind.ContextSwitch } && pid == task.Key);
            List<FunctionCall> alone = reader.Read(new StringReader(string.Join('\n', own))).OfType<FunctionCall>().ToList();
            Assert.Equal(Shape(alone), Shape(task));
        }

        Assert.All(all, r => Assert.All(r.GetDescendantsAndSelf(), c => Assert.Equal(r.ProcessId, c.ProcessId)));
    }

    [Fact]
    public void TwoCpus_TheTaskOnEachCpuComesFromItsSwitchLines()
    {
        List<FunctionCall> roots = Roots("fgraph-smp2.txt");
        Assert.Contains(0, roots.Select(r => r.Cpu));
        Assert.Contains(1, roots.Select(r => r.Cpu));

        // line 31 " 1)     sh-134     =>     sh-135": the read at line 34 is sh-135's
        FunctionCall afterSwitch = roots.First(r => r.ProcessId == 135);
        Assert.Equal(1, afterSwitch.Cpu);
        Assert.Equal("sh", afterSwitch.Command);
        Assert.Equal(58_187, afterSwitch.DurationNanoseconds); // " 1) + 58.187 us   |  }" at line 41

        // The three reads on CPU 1 before that line were sh-134's, but went out before the line named it.
        Assert.All(roots.Where(r => r.Cpu == 1).Take(3), r => Assert.Null(r.ProcessId));
        Assert.All(roots, r => Assert.All(r.GetDescendantsAndSelf(), c => Assert.Equal(r.Cpu, c.Cpu)));
    }

    [Fact]
    public void InterruptsInsideACall_NestUnderIt()
    {
        // funcgraph-irqs: the timer interrupt that hit dd's read shows inside vfs_read
        FunctionCall read = Roots("fgraph-irqs.txt").First(r => r.Children.Any(c => c.Function == "__sysvec_apic_timer_interrupt"));
        Assert.Equal("vfs_read", read.Function);
        Assert.Equal(333, read.ProcessId); // named by " 0)    bash-332    =>     dd-333"
        FunctionCall timer = read.Children.First(c => c.Function == "__sysvec_apic_timer_interrupt"); // line 35
        Assert.Equal("irq_enter_rcu", read.Children[0].Function);
        Assert.Equal(87_762, timer.DurationNanoseconds);
        Assert.Equal("hrtimer_interrupt", Assert.Single(timer.Children).Function);
        Assert.DoesNotContain(AllCalls("fgraph-irqs-off.txt"), c => c.Function == "__sysvec_apic_timer_interrupt");
    }

    [Fact]
    public void CommentLinesAndEventsDoNotBreakTheTrees()
    {
        List<FunctionGraphLine> lines = Parsed("fgraph-switch-pipe-events.txt");
        Assert.Equal(325, lines.Count(l => l.Kind == FunctionGraphLineKind.Comment));
        List<FunctionCall> calls = AllCalls("fgraph-switch-pipe-events.txt");
        Assert.Equal(lines.Count(l => l.Kind is FunctionGraphLineKind.Entry or FunctionGraphLineKind.Leaf), calls.Count);
        Assert.Single(calls, c => c.IsExitLost);
    }

    [Fact]
    public void InterruptDuringReturn_KeepsTheCallWhole()
    {
        // " 0)   |  fscache_begin_volume_access [fscache]() {" (line 711) is followed by an interrupt's calls
        // at the same depth, then "} /* fscache_begin_volume_access [fscache] */" (line 969): the
        // interrupt came after the function had left its return stack; the late exit still closes it.
        List<FunctionCall> calls = AllCalls("fgraph-openat2-full.txt");
        Assert.DoesNotContain(calls, c => c.IsEntryLost || c.IsExitLost);
        FunctionCall volume = calls.First(c => c.Function == "fscache_begin_volume_access");
        Assert.Equal("fscache", volume.Module);
        Assert.Equal(1_893, volume.DurationNanoseconds);
        Assert.True(volume.IsLeaf);
        IReadOnlyList<FunctionCall> siblings = volume.GetParent()!.Children;
        Assert.Equal("irq_enter_rcu", siblings[siblings.ToList().IndexOf(volume) + 1].Function);
    }

    [Fact]
    public void Flat_OneRecordPerCallInTheOrderTheyBegan()
    {
        List<FunctionCall> flat = GraphRecords("fgraph-vfs_read-default.txt", flat: true).OfType<FunctionCall>().ToList();
        List<FunctionCall> trees = AllCalls("fgraph-vfs_read-default.txt");
        Assert.Equal(trees.Count, flat.Count);
        Assert.Equal(trees.Select(c => (c.Function, c.Depth, c.DurationNanoseconds)), flat.Select(c => (c.Function, c.Depth, c.DurationNanoseconds)));
    }

    [Fact]
    public void Serializers_WalkDownTheTreeWithoutCycles()
    {
        FunctionCall root = Roots("fgraph-vfs_read-default.txt")[0];
        string json = JsonSerializer.Serialize(root);
        Assert.Contains("\"Children\":[{\"Function\":\"rw_verify_area\"", json);
        Assert.DoesNotContain("Parent", json);
        Assert.Equal("vfs_read() 830.043 us, 3 calls", root.ToString());
    }

    private static List<string> Shape(IEnumerable<FunctionCall> roots) =>
        roots.SelectMany(r => r.GetDescendantsAndSelf())
            .Select(c => $"{c.Depth}:{c.Function}:{c.DurationNanoseconds}:{c.TimestampNanoseconds}:{c.Children.Count}:{c.IsEntryLost}:{c.IsExitLost}")
            .ToList();
}
