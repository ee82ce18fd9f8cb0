using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Text;

/// <summary>Values read by hand from the fixtures, line by line (line numbers are the files' own).</summary>
public class TraceTextSpotCheckTests
{
    private const string Default = "6.18/trace-default.txt";

    [Fact]
    public void DefaultHeaderLine()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 13);

        Assert.Equal("bash", e.Command);
        Assert.Equal(11956, e.ProcessId);
        Assert.Null(e.ThreadGroupId);
        Assert.Equal(1, e.Cpu);
        Assert.Equal(".....", e.Flags);
        Assert.Equal(712_392_125_000UL, e.TimestampNanoseconds);
        Assert.Equal("sched", e.System);
        Assert.Equal("sched_process_fork", e.Name);
        Assert.Equal("comm=bash pid=11956 child_comm=bash child_pid=11957", e.Body);
        Assert.Equal("bash", e.Fields["parent_comm"]);
        Assert.Equal(11956L, e.Fields["parent_pid"]);
        Assert.Equal("bash", e.Fields["child_comm"]);
        Assert.Equal(11957L, e.Fields["child_pid"]);
    }

    [Fact]
    public void CommFillingItsColumnWithDashes()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 15);

        Assert.Equal("qemu-system-x86", e.Command);
        Assert.Equal(6880, e.ProcessId);
        Assert.Equal("d..2.", e.Flags);
        Assert.Equal("qemu-system-x86", e.Fields["prev_comm"]);
        Assert.Equal("S", e.Fields["prev_state"]);
        Assert.Equal(120L, e.Fields["prev_prio"]);
        Assert.Equal("bash", e.Fields["next_comm"]);
        Assert.Equal(11957L, e.Fields["next_pid"]);
    }

    [Fact]
    public void CommWithASpaceAndADash()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 77);
        TraceEvent sw = TextFixtures.EventAtLine(Default, 80);

        Assert.Equal("my proc-1", e.Command);
        Assert.Equal(11960, e.ProcessId);
        Assert.Equal("my proc-1", sw.Fields["prev_comm"]);
        Assert.Equal("R", sw.Fields["prev_state"]);
        Assert.Equal("qemu-system-x86", sw.Fields["next_comm"]);
    }

    [Fact]
    public void RawSyscallArgumentsFillAnArray()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 16);

        Assert.Equal("raw_syscalls", e.System);
        Assert.Equal("sys_enter", e.Name);
        Assert.Equal(59L, e.Fields["id"]);
        Assert.Equal(new ulong[] { 0x55db9b138b20, 0x55db9b14a1c0, 0x55db9b14a350, 0xd7426d40176bb143, 7, 0x55db9b14a1c0 }, e.Fields["args"]);
    }

    [Fact]
    public void ExecFilename()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 17);

        Assert.Equal("/bin/true", e.Fields["filename"]);
        Assert.Equal(11957L, e.Fields["pid"]);
        Assert.Equal(11957L, e.Fields["old_pid"]);
    }

    [Fact]
    public void SyscallEnterAndExit()
    {
        TraceEvent enter = TextFixtures.EventAtLine(Default, 19);
        TraceEvent failed = TextFixtures.EventAtLine(Default, 69);

        Assert.Equal("syscalls", enter.System);
        Assert.Equal("sys_enter_openat", enter.Name);
        Assert.Equal(0xffffff9cUL, enter.Fields["dfd"]);
        Assert.Equal(0x7efd78fce0b1UL, enter.Fields["filename"]);
        Assert.Equal(0x80000UL, enter.Fields["flags"]);
        Assert.Equal(0UL, enter.Fields["mode"]);
        Assert.Equal("sys_exit_openat", failed.Name);
        Assert.Equal(-2L, failed.Fields["ret"]);
    }

    [Fact]
    public void UprobeArgumentsByTheirDeclaredNames()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 29);

        Assert.Equal("text_fixture", e.System);
        Assert.Equal("libc_open", e.Name);
        Assert.Equal("DBZff", e.Flags);
        Assert.Equal(0x7fb2b85cbfc0UL, e.Fields["__probe_ip"]);
        Assert.Equal("/dev/null", e.Fields["path"]);
        Assert.Equal(0x241UL, e.Fields["flags"]);
        Assert.Equal(EventBodyDecoder.Fault, e.Fields["bad"]);
        Assert.Equal("bash", e.Fields["comm"]);
        Assert.Equal(new ulong[] { 0x55db75dcd65a, 0 }, e.Fields["stack"]);
    }

    [Fact]
    public void UprobeStringWithUnescapedQuotes()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 46);

        Assert.Equal("/tmp/a \"quoted\" name", e.Fields["path"]);
        Assert.Equal(0UL, e.Fields["flags"]);
        Assert.Equal("cat", e.Fields["comm"]);
    }

    [Fact]
    public void UretprobeReturnAndFunction()
    {
        TraceEvent ok = TextFixtures.EventAtLine(Default, 32);
        TraceEvent failed = TextFixtures.EventAtLine(Default, 70);

        Assert.Equal("libc_open_ret", ok.Name);
        Assert.Equal(0x55db75dcd65aUL, ok.Fields["__probe_ret_ip"]);
        Assert.Equal(0x7fb2b85cbfc0UL, ok.Fields["__probe_func"]);
        Assert.Equal(3L, ok.Fields["fd"]);
        Assert.Equal(-1L, failed.Fields["fd"]);
    }

    [Fact]
    public void BlockIssueWithDevAndSymbolicPriority()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 115);

        Assert.Equal("block", e.System);
        Assert.Equal(["dev", "rwbs", "bytes", "cmd", "sector", "nr_sector", "ioprio", "comm"], e.Fields.Keys);
        Assert.Equal((254UL << 20) | 0, e.Fields["dev"]);
        Assert.Equal("WS", e.Fields["rwbs"]);
        Assert.Equal(4096UL, e.Fields["bytes"]);
        Assert.Equal("", e.Fields["cmd"]);
        Assert.Equal(169893488UL, e.Fields["sector"]);
        Assert.Equal(8UL, e.Fields["nr_sector"]);
        Assert.Equal("be", e.Fields["ioprio"]);
        Assert.Equal("dd", e.Fields["comm"]);
    }

    [Fact]
    public void SignalFieldsNamedByTheFormatNotTheText()
    {
        TraceEvent e = TextFixtures.EventAtLine(Default, 137);

        Assert.Equal("d..1.", e.Flags);
        Assert.Equal(10L, e.Fields["sig"]);
        Assert.Equal(0L, e.Fields["code"]);
        Assert.Equal(11962L, e.Fields["pid"]);
        Assert.Equal(1L, e.Fields["group"]);
        Assert.Equal(0L, e.Fields["result"]);
    }

    [Fact]
    public void BlockCompletionsInSoftirqOfOtherTasks()
    {
        TraceEvent first = TextFixtures.EventAtLine("6.18/trace-block.txt", 14);
        TraceEvent flush = TextFixtures.EventAtLine("6.18/trace-block.txt", 20);

        Assert.Equal("block_rq_complete", first.Name);
        Assert.Equal("..s..", first.Flags);
        Assert.Equal("DS", first.Fields["rwbs"]);
        Assert.Equal(169889648UL, first.Fields["sector"]);
        Assert.Equal(16UL, first.Fields["nr_sector"]);
        Assert.Equal(0L, first.Fields["error"]);
        Assert.Equal(".NET Tiered Com", flush.Command);
        Assert.Equal(12032, flush.ProcessId);
        Assert.Equal(ulong.MaxValue, flush.Fields["sector"]);
        Assert.Equal("none", flush.Fields["ioprio"]);
    }

    [Fact]
    public void TgidColumn()
    {
        TraceEvent irq = TextFixtures.EventAtLine("6.18/trace-tgid.txt", 15);
        TraceEvent noirq = TextFixtures.EventAtLine("6.18/trace-noirq-tgid.txt", 11);
        TraceEvent unknown = TextFixtures.EventAtLine("6.18/trace-tgid-unrecorded.txt", 13);

        Assert.Equal(6880, irq.ThreadGroupId);
        Assert.Equal("qemu-system-x86", irq.Command);
        Assert.Equal(11957, noirq.ThreadGroupId);
        Assert.Equal("", noirq.Flags);
        Assert.Equal(712_392_390_000UL, noirq.TimestampNanoseconds);
        Assert.Null(unknown.ThreadGroupId);
        Assert.Equal(22665, unknown.ProcessId);
    }

    [Fact]
    public void CounterClockIsARawCount()
    {
        TraceEvent first = TextFixtures.Events("6.18/trace-clock-counter.txt")[0];

        Assert.Equal(40UL, first.TimestampNanoseconds);
        Assert.Equal("sched_process_fork", first.Name);
    }

    [Fact]
    public void LostEventsFromTracePipe()
    {
        List<object> records = TextFixtures.Read("6.18/trace_pipe-lost.txt");
        List<TraceLostEvents> lost = records.OfType<TraceLostEvents>().ToList();

        var first = Assert.IsType<TraceLostEvents>(records[0]);
        Assert.Equal(0, first.Cpu);
        Assert.Equal(9840L, first.Count);
        Assert.Equal(2, lost.Count);
        Assert.Equal(1, lost[1].Cpu);
        Assert.Equal(8820L, lost[1].Count);
        Assert.Equal("CPU:1 [LOST 8820 EVENTS]", lost[1].ToString());
    }

    [Fact]
    public void LostWhileReadingTraceHasNoCount()
    {
        List<TraceLostEvents> lost = TextFixtures.Read("6.18/trace-lost-while-reading.txt").OfType<TraceLostEvents>().ToList();

        Assert.Equal(3, lost.Count);
        Assert.Equal((-1, (long?)(28776 - 276)), (lost[0].Cpu, lost[0].Count));
        Assert.Equal((0, (long?)null), (lost[1].Cpu, lost[1].Count));
        Assert.Equal((1, (long?)null), (lost[2].Cpu, lost[2].Count));
        Assert.Equal("CPU:1 [LOST EVENTS]", lost[2].ToString());
    }

    [Fact]
    public void AnnotateAddsOnlyTheBufferStartedRecord()
    {
        List<object> with = TextFixtures.Read("6.18/trace-overrun-annotate.txt");
        List<object> without = TextFixtures.Read("6.18/trace-overrun-noannotate.txt");

        Assert.Equal(with.OfType<TraceEvent>().Select(e => e.Line), without.OfType<TraceEvent>().Select(e => e.Line));
        Assert.Equal([(-1, (long?)18660)], without.OfType<TraceLostEvents>().Select(l => (l.Cpu, l.Count)));
        Assert.Equal([(-1, (long?)18660), (1, null)], with.OfType<TraceLostEvents>().Select(l => (l.Cpu, l.Count)));
        Assert.Equal("ALL CPUS [LOST 18660 EVENTS]", with.OfType<TraceLostEvents>().First().ToString());
    }

    [Fact]
    public void KernelStackIsOneEventWithItsFrames()
    {
        TraceEvent stack = TextFixtures.Events("6.18/trace-stacktrace.txt").First(e => e.Name == "kernel_stack");

        Assert.Equal("ftrace", stack.System);
        Assert.Equal("<stack trace>", stack.Body);
        Assert.Equal("true", stack.Command);
        Assert.Equal(712_729_120_000UL, stack.TimestampNanoseconds);
        string[] frames = Assert.IsType<string[]>(stack.Fields["stack"]);
        Assert.Equal(7, frames.Length);
        Assert.Equal("trace_event_raw_event_sched_process_exec", frames[0]);
        Assert.Equal("entry_SYSCALL_64_after_hwframe", frames[^1]);
        Assert.Equal(8, stack.Line!.Split('\n').Length);
    }

    [Fact]
    public void UserStackFrames()
    {
        TraceEvent stack = TextFixtures.EventAtLine("6.18/trace-userstacktrace.txt", 14);

        Assert.Equal("user_stack", stack.Name);
        Assert.Equal(new[] { "<00007f8e5b6dcfc0>", "<00005611e625f9ee>" }, stack.Fields["stack"]);
    }

    [Fact]
    public void SameBufferReadWithEveryOptionGivesTheSameEvents()
    {
        var reference = TextFixtures.Events(Default).Select(e => (e.TimestampNanoseconds, e.Cpu, e.ProcessId, e.Command, e.Name, e.Body)).ToList();

        foreach (string other in new[] { "6.18/trace-noirq.txt", "6.18/trace-tgid.txt", "6.18/trace-noirq-tgid.txt", "6.18/trace_pipe.txt" })
        {
            Assert.Equal(reference, TextFixtures.Events(other).Select(e => (e.TimestampNanoseconds, e.Cpu, e.ProcessId, e.Command, e.Name, e.Body)));
        }
    }

    [Fact]
    public void OldKernelFourFlagColumnsAndUncachedComm()
    {
        TraceEvent e = TextFixtures.EventAtLine("perf-tools-examples/kprobe_example.txt", 23);

        Assert.Equal("<...>", e.Command);
        Assert.Equal(29476, e.ProcessId);
        Assert.Equal("d...", e.Flags);
        Assert.Equal(6_910_688_231_101_000UL, e.TimestampNanoseconds);
        Assert.Equal("do_sys_open", e.Name);
        Assert.Equal("(SyS_open+0x1e/0x20 <- do_sys_open)", e.Body);
        Assert.Equal("", e.System);
        Assert.Empty(e.Fields);
    }

    [Fact]
    public void OldKernelCommWithSlashAndDashesWithoutFlags()
    {
        TraceEvent e = TextFixtures.EventAtLine("perf-tools-examples/kprobe_example.txt", 212);

        Assert.Equal("jbd2/xvda1-8", e.Command);
        Assert.Equal(212, e.ProcessId);
        Assert.Equal("", e.Flags);
        Assert.Equal("myprobe", e.Name);
        Assert.Equal("(bio_alloc+0x0/0x30) arg1=ffffffff arg2=ffff8800ad1f87b8 arg3=ffff8800ba22c06c arg4=8", e.Body);
    }

    [Fact]
    public void OldKernelUretprobeBodyKeptWhole()
    {
        TraceEvent e = TextFixtures.EventAtLine("perf-tools-examples/uprobe_example.txt", 76);

        Assert.Equal("readline", e.Name);
        Assert.Equal("(0x41e876 <- 0x48db60) arg1=\"echo \"hello world\"\"", e.Body);
    }

    [Fact]
    public void FunctionTracerLineFromLinux32()
    {
        TraceEvent e = TextFixtures.EventAtLine("perf-tools-examples/functrace_example.txt", 61);

        Assert.Equal("vmstat", e.Command);
        Assert.Equal(11789, e.ProcessId);
        Assert.Equal("ftrace", e.System);
        Assert.Equal("function", e.Name);
        Assert.Equal("do_nanosleep", e.Fields["ip"]);
        Assert.Equal("hrtimer_nanosleep", e.Fields["parent_ip"]);
    }

    [Fact]
    public void OldKernelStackAfterItsEvent()
    {
        TraceEvent stack = TextFixtures.EventAtLine("perf-tools-examples/tpoint_example.txt", 65);

        Assert.Equal("kernel_stack", stack.Name);
        Assert.Equal("supervise", stack.Command);
        Assert.Equal("blk_peek_request", ((string[])stack.Fields["stack"]!)[0]);
    }

    [Fact]
    public void ProseAroundExamplesIsKeptAsUnknownLines()
    {
        TraceEvent e = TextFixtures.Events("perf-tools-examples/kprobe_example.txt")[0];

        Assert.Equal(-1, e.Cpu);
        Assert.Equal("", e.Name);
        Assert.Equal("Demonstrations of kprobe, the Linux ftrace version.", e.Body);
        Assert.Equal(e.Body, e.Line);
        Assert.Equal(e.Line, e.ToString());
    }
}
