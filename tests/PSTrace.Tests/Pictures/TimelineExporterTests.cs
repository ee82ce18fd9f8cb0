using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Formats;
using PSTrace.Core.FunctionGraph;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Tests.FunctionGraph;
using PSTrace.Tests.Tools;
using PSTrace.Core.Tools.BlockIo;
using PSTrace.Core.Tools.Syscall;

namespace PSTrace.Tests.Pictures;

/// <summary>Timelines of real traces, checked against the Trace Event Format and against the records they came from.</summary>
public sealed class TimelineExporterTests
{
    private const int CpuProcess = TimelineTracks.CpuProcessId;

    private static List<TraceEvent> SavedText(string fixture, string formats)
    {
        EventFormatCatalog catalog = EventFormatCatalog.Load(Fixtures.PathOf(formats));
        using var reader = new StreamReader(Fixtures.PathOf(fixture));
        return TraceTextReader.Read(reader, catalog).OfType<TraceEvent>().ToList();
    }

    [Fact]
    public void Each_sched_switch_ends_the_slice_of_the_task_that_ran_on_its_cpu_since_the_one_before()
    {
        List<TraceEvent> events = SavedText("6.18/trace-default.txt", "6.18/formats");
        List<TraceEvent> switches = events.Where(e => e.Name == "sched_switch").ToList();
        List<TimelineFormat.Event> timeline = TimelineFormat.Export(events, out int skipped);

        Assert.Equal(0, skipped);
        List<TimelineFormat.Event> cpuSlices = timeline.Where(e => e.Pid == CpuProcess && e.Phase == "X").ToList();

        // One slice per switch: each switch but a CPU's first closes one, and each CPU's last task runs to the end.
        Assert.Equal(42, switches.Count);
        Assert.Equal(switches.Count, cpuSlices.Count);
        Assert.Equal(40, cpuSlices.Count(s => s.Tid == CpuProcess + 1 + 1));
        Assert.Equal(2, cpuSlices.Count(s => s.Tid == CpuProcess + 1 + 0));

        // trace-default.txt: CPU 1 switches at 712.392133 (to qemu-system-x86 6880) and 712.392154 (from it).
        TimelineFormat.Event first = cpuSlices.First(s => s.Tid == CpuProcess + 2);
        Assert.Equal(("qemu-system-x86-6880", 712_392_133m, 21m), (first.Name, first.Ts, first.Dur));
        Assert.Equal(6880, first.Args.GetProperty("pid").GetInt32());

        // The last slice of each CPU reaches the last event of the trace.
        decimal end = events.Max(e => e.TimestampNanoseconds) / 1000m;
        Assert.All(cpuSlices.GroupBy(s => s.Tid), cpu => Assert.Equal(end, cpu.Max(s => s.Ts + s.Dur!.Value)));

        // The CPUs are named, and come first.
        Assert.Contains(timeline, e => e.Phase == "M" && e.Name == "process_name" && e.Pid == CpuProcess && e.Args.GetProperty("name").GetString() == "CPUs");
        Assert.Contains(timeline, e => e.Phase == "M" && e.Name == "thread_name" && e.Tid == CpuProcess + 2 && e.Args.GetProperty("name").GetString() == "CPU 1");
    }

    [Fact]
    public void Other_events_are_moments_on_their_tasks_track_with_their_fields()
    {
        List<TraceEvent> events = SavedText("6.18/trace-default.txt", "6.18/formats");
        List<TimelineFormat.Event> timeline = TimelineFormat.Export(events, out _);

        TraceEvent exec = events.First(e => e.Name == "sched_process_exec");
        TimelineFormat.Event moment = Assert.Single(timeline, e => e.Name == "sched:sched_process_exec" && e.Ts == exec.TimestampNanoseconds / 1000m);
        Assert.Equal(("i", "t", "sched", exec.ProcessId), (moment.Phase, moment.Scope, moment.Category, moment.Tid));
        Assert.Equal((string)exec.Fields["filename"]!, moment.Args.GetProperty("filename").GetString());
        Assert.Contains(timeline, e => e.Phase == "M" && e.Name == "thread_name" && e.Tid == exec.ProcessId);
        Assert.Equal(events.Count(e => e.Name != "sched_switch"), timeline.Count(e => e.Phase == "i"));
    }

    [Fact]
    public void A_trace_dat_draws_the_same_cpu_tracks_as_its_switches_say()
    {
        using TraceDatFile dat = TraceDatFile.Open(Fixtures.PathOf("6.18/tracedat-v7-none.dat"));
        List<object> records = dat.ReadEvents().ToList();
        List<TimelineFormat.Event> timeline = TimelineFormat.Export(records, out int skipped);

        int switches = records.OfType<TraceEvent>().Count(e => e.Name == "sched_switch");
        // `trace-cmd report -i tracedat-v7-none.dat | grep -c ' sched_switch:'`
        Assert.Equal(613, switches);
        Assert.Equal(switches, timeline.Count(e => e.Pid == CpuProcess && e.Phase == "X"));
        Assert.Equal(records.Count(r => r is not TraceEvent), skipped + timeline.Count(e => e.Category == "lost"));
    }

    [Fact]
    public void Function_graph_trees_are_nested_slices_on_their_tasks_track()
    {
        using TraceDatFile file = TraceDatFile.Open(Fixtures.PathOf("6.1/tracecmd-fgraph-sched.dat"));
        List<FunctionCall> roots = new FunctionTracerRecords(graph: true, () => file.Kallsyms).Read(file.ReadEvents()).OfType<FunctionCall>().ToList();
        List<FunctionCall> calls = roots.SelectMany(r => r.GetDescendantsAndSelf()).ToList();
        List<TimelineFormat.Event> timeline = TimelineFormat.Export(roots, out int skipped);

        Assert.Equal(0, skipped);
        List<TimelineFormat.Event> slices = timeline.Where(e => e.Category == "function").ToList();
        Assert.Equal(calls.Count, slices.Count);
        Assert.Equal(calls.Count(c => c.DurationNanoseconds is not null), slices.Count(s => s.Phase == "X"));

        // Each call lies within its caller, on the caller's track, and keeps its own duration in its arguments. Entry
        // times and durations come from different clock reads: in this trace (qemu TCG) some calls reach past their
        // caller's end and are cut there.
        int cut = 0;
        for (int i = 0; i < calls.Count; i++)
        {
            Assert.Equal(calls[i].ProcessId, slices[i].Tid);
            Assert.Equal(calls[i].TimestampNanoseconds / 1000m, slices[i].Ts);
            Assert.Equal(calls[i].DurationNanoseconds, slices[i].Args.GetProperty("durationNanoseconds").ValueKind == System.Text.Json.JsonValueKind.Null
                ? null : slices[i].Args.GetProperty("durationNanoseconds").GetInt64());
            cut += slices[i].Dur is decimal d && d != calls[i].DurationNanoseconds / 1000m ? 1 : 0;
            if (calls[i].GetParent() is { DurationNanoseconds: not null } parent && calls[i].DurationNanoseconds is not null)
            {
                TimelineFormat.Event outer = slices[calls.IndexOf(parent)];
                Assert.True(slices[i].Ts >= outer.Ts && slices[i].Ts + slices[i].Dur <= outer.Ts + outer.Dur,
                    $"{calls[i]} at {slices[i].Ts} is outside {parent} at {outer.Ts}");
            }
        }

        Assert.InRange(cut, 1, calls.Count / 100);
    }

    [Fact]
    public void Saved_graph_text_gives_a_slice_per_call_on_its_tasks_track()
    {
        List<FunctionCall> roots = GraphFixtures.Roots("fgraph-smp2-proc-abstime.txt");
        List<FunctionCall> calls = roots.SelectMany(r => r.GetDescendantsAndSelf()).ToList();
        List<TimelineFormat.Event> slices = TimelineFormat.Export(roots, out int skipped).Where(e => e.Category == "function").ToList();

        Assert.Equal(0, skipped);
        Assert.Equal(calls.Select(c => (c.Function, c.ProcessId)), slices.Select(s => ((string?)s.Name, (int?)s.Tid)));
    }

    [Fact]
    public void Flat_calls_draw_the_same_timeline_as_their_trees()
    {
        List<object> trees = GraphFixtures.GraphRecords("fgraph-smp2-proc-abstime.txt");
        List<object> flat = GraphFixtures.GraphRecords("fgraph-smp2-proc-abstime.txt", flat: true);
        Assert.True(flat.Count > trees.Count);

        Assert.Equal(Json(trees), Json(flat));
    }

    [Fact]
    public void Calls_of_a_graph_without_task_column_go_on_their_cpus_calls_track()
    {
        List<FunctionCall> roots = GraphFixtures.Roots("fgraph-vfs_read-abstime.txt");
        Assert.All(roots, r => Assert.Null(r.ProcessId));
        List<TimelineFormat.Event> timeline = TimelineFormat.Export(roots, out int skipped);

        Assert.Equal(0, skipped);
        List<TimelineFormat.Event> slices = timeline.Where(e => e.Category == "function").ToList();
        Assert.Equal(roots.Sum(r => r.GetDescendantsAndSelf().Count()), slices.Count);
        Assert.All(slices, e => Assert.Equal(CpuProcess, e.Pid));
        Assert.All(roots.SelectMany(r => r.GetDescendantsAndSelf()).Zip(slices),
            pair => Assert.Equal(CpuProcess + 1 + TimelineTracks.CpuCallsOffset + pair.First.Cpu!.Value, pair.Second.Tid));
        Assert.Contains(timeline, e => e.Phase == "M" && e.Name == "thread_name" && e.Args.GetProperty("name").GetString() == "CPU 0 calls");
    }

    [Fact]
    public void Block_requests_span_issue_to_completion_and_syscalls_entry_to_return()
    {
        List<BlockIoEvent> requests = WatchFixtures.Run(new BlockIoWatcher(), WatchFixtures.Block).OfType<BlockIoEvent>().ToList();
        List<SyscallEvent> syscalls = WatchFixtures.Run(new SyscallWatcher(["openat"]), WatchFixtures.ExecOpen).OfType<SyscallEvent>().ToList();
        List<TimelineFormat.Event> timeline = TimelineFormat.Export(requests.Cast<object>().Concat(syscalls), out int skipped);

        Assert.Equal(0, skipped);
        List<TimelineFormat.Event> begins = timeline.Where(e => e.Phase == "b").ToList();
        List<TimelineFormat.Event> ends = timeline.Where(e => e.Phase == "e").ToList();
        Assert.Equal(requests.Count, begins.Count);
        for (int i = 0; i < requests.Count; i++)
        {
            // block-trace.txt: issue 5438.131625, complete 5438.131921 for the first request.
            Assert.Equal(requests[i].TimestampNanoseconds / 1000m, ends[i].Ts);
            Assert.Equal(requests[i].LatencyNanoseconds / 1000m, ends[i].Ts - begins[i].Ts);
            Assert.Equal(requests[i].ProcessId, begins[i].Pid);
        }

        Assert.Equal(5_438_131_625m, begins[0].Ts);
        List<TimelineFormat.Event> calls = timeline.Where(e => e.Category == "syscall").ToList();
        Assert.Equal(syscalls.Count, calls.Count);
        Assert.All(calls.Zip(syscalls), pair =>
        {
            Assert.Equal(pair.Second.DurationNanoseconds is null ? "i" : "X", pair.First.Phase);
            Assert.Equal(pair.Second.TimestampNanoseconds / 1000m, pair.First.Ts);
            Assert.Equal(pair.Second.DurationNanoseconds / 1000m, pair.First.Dur);
            Assert.Equal(pair.Second.ReturnValue, pair.First.Args.GetProperty("returnValue").GetInt64());
        });
    }

    [Fact]
    public void Records_without_a_time_or_of_another_kind_are_not_drawn()
    {
        var stream = new MemoryStream();
        using var exporter = new TimelineExporter(stream);

        Assert.False(exporter.Add("a string"));
        Assert.False(exporter.Add(new TraceLostEvents(0, 5)));
        Assert.True(exporter.Add(new TraceLostEvents(1, 5, 1_000_000)));
        exporter.Finish();
        TimelineFormat.Event lost = Assert.Single(TimelineFormat.Check(stream.ToArray()), e => e.Phase == "i");
        Assert.Equal(("lost 5 events", "g", 1000m), (lost.Name, lost.Scope, lost.Ts));
    }

    private static string Json(IEnumerable<object> records)
    {
        var stream = new MemoryStream();
        using (var exporter = new TimelineExporter(stream))
        {
            foreach (object record in records)
            {
                exporter.Add(record);
            }
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
