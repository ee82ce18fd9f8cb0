using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Counting;

namespace PSTrace.Tests.Tools.Counting;

/// <summary>Counts per (event, process, command) written per the fields asked for, most first.</summary>
public sealed class EventTallyTests
{
    private static EventTally Filled(IEnumerable<EventCountField> groupBy, WatchFilter? filter = null)
    {
        var tally = new EventTally(groupBy, filter);
        tally.Add("syscalls:sys_enter_read", 10, "bash", 5);
        tally.Add("syscalls:sys_enter_read", 11, "bash", 7);
        tally.Add("syscalls:sys_enter_write", 10, "bash", 1);
        tally.Add("syscalls:sys_enter_read", 12, "cat", 20);
        return tally;
    }

    [Fact]
    public void Grouped_by_command_the_processes_and_events_of_a_command_add_up()
    {
        List<EventCount> counts = Filled([EventCountField.Command]).Counts().ToList();
        Assert.Equal([("cat", 20L), ("bash", 13L)], counts.Select(c => (c.Command!, c.Count)));
        Assert.All(counts, c => Assert.Equal((null, (int?)null), (c.Event, c.ProcessId)));
    }

    [Fact]
    public void Grouped_by_event_and_process_each_pair_is_a_record_most_first()
    {
        List<EventCount> counts = Filled([EventCountField.Event, EventCountField.ProcessId]).Counts().ToList();
        Assert.Equal(
            [("syscalls:sys_enter_read", 12, 20L), ("syscalls:sys_enter_read", 11, 7L), ("syscalls:sys_enter_read", 10, 5L), ("syscalls:sys_enter_write", 10, 1L)],
            counts.Select(c => (c.Event!, c.ProcessId!.Value, c.Count)));
        Assert.All(counts, c => Assert.Null(c.Command));
    }

    [Fact]
    public void The_filter_keeps_its_commands_and_leaves_out_its_excluded_process()
    {
        var filter = new WatchFilter(commands: ["ba*"], excludedProcessId: 11);
        Assert.Equal([6L], Filled([EventCountField.Command], filter).Counts().Select(c => c.Count));
    }

    [Fact]
    public void At_least_one_field_is_needed() => Assert.Throws<ArgumentException>(() => new EventTally([]));
}
