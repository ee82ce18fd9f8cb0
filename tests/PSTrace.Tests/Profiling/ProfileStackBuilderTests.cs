using PSTrace.Core.Profiling;
using PSTrace.Core.Records;

namespace PSTrace.Tests.Profiling;

/// <summary>Counts become records: stacks naming the same frames in one thread are one record, sorted, probe frames dropped.</summary>
public sealed class ProfileStackBuilderTests
{
    private static StackFrame User(string function, ulong address) => new(address, false, function, "prog", address - 0x1000);

    private static StackFrame Kernel(string function) => new(0xffffffff81000000, true, function, null, null);

    [Fact]
    public void Stacks_that_differ_only_inside_their_functions_are_one_record_and_the_most_samples_come_first()
    {
        var builder = new ProfileStackBuilder(ProfileKind.OnCpu);
        builder.Add(new StackCount(5, 5, -14, 1, "prog", 10, 0), [User("hot", 0x1010), User("main", 0x1100)]);
        builder.Add(new StackCount(5, 5, -14, 2, "prog", 7, 0), [User("hot", 0x1018), User("main", 0x1100)]);
        builder.Add(new StackCount(5, 6, -14, 3, "prog", 12, 0), [User("cold", 0x1200), User("main", 0x1100)]);
        builder.Add(new StackCount(5, 5, -14, 4, "prog", 1, 0), [User("cold", 0x1200), User("main", 0x1100)]);

        IReadOnlyList<ProfileStack> records = builder.Build();

        Assert.Equal(new long[] { 17, 12, 1 }, records.Select(r => r.Count));
        Assert.Equal("hot", records[0].Function);
        Assert.Equal(0x1010UL, records[0].Stack[0].Address);
        Assert.All(records, r => Assert.Null(r.Time));
        Assert.Equal(17L, records[0].Weight);
        Assert.Equal(6, records[1].ThreadId);
    }

    [Fact]
    public void Off_cpu_records_have_their_time_and_leave_out_the_probe_frames_the_stack_was_taken_in()
    {
        var builder = new ProfileStackBuilder(ProfileKind.OffCpu);
        StackFrame[] frames =
        [
            Kernel("bpf_prog_fee06f0a5d67f74d_pstrace_offcpu_switch"), Kernel("bpf_trace_run4"), Kernel("__traceiter_sched_switch"),
            Kernel("__schedule"), Kernel("schedule"), Kernel("do_nanosleep"), User("main", 0x1100),
        ];
        builder.Add(new StackCount(5, 5, 1, 2, "prog", 20, 2_000_000_000), frames);
        builder.Add(new StackCount(5, 5, 3, 4, "prog", 1, 5_000), [Kernel("schedule"), User("main", 0x1100)]);

        IReadOnlyList<ProfileStack> records = builder.Build();

        Assert.Equal("__schedule", records[0].Function);
        Assert.Equal(TimeSpan.FromSeconds(2), records[0].Time);
        Assert.Equal(TimeSpan.FromSeconds(2), records[0].Weight);
        Assert.Equal(["__schedule", "schedule", "do_nanosleep"], records[0].KernelStack.Select(f => f.Function));
        Assert.Equal(["main"], records[0].UserStack.Select(f => f.Function));
        Assert.Equal(TimeSpan.FromTicks(50), records[1].Time);
    }

    [Fact]
    public void Frames_show_function_then_module_and_offset_then_address()
    {
        Assert.Equal("ext4_read [ext4]", new StackFrame(1, true, "ext4_read", "ext4", null).ToString());
        Assert.Equal("main", new StackFrame(1, false, "main", "prog", 0x10).ToString());
        Assert.Equal("libc.so.6+0x2724a", new StackFrame(1, false, null, "libc.so.6", 0x2724a).ToString());
        Assert.Equal("0xffffffffc0001000", new StackFrame(0xffffffffc0001000, true, null, null, null).ToString());
    }
}
