using PSTrace.Core.Tracefs;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Open;

namespace PSTrace.Tests.Tools;

/// <summary>Leaving the watching process out (Watch-Open and Watch-Exec without -IncludeSelf), over real opens.</summary>
public class WatchFilterSelfTests
{
    private static readonly List<OpenEvent> Opens = WatchFixtures.Run(new OpenWatcher(false), WatchFixtures.ExecOpen).OfType<OpenEvent>().ToList();

    [Fact]
    public void Records_of_the_excluded_process_are_dropped_and_others_kept()
    {
        var filter = new WatchFilter(excludedProcessId: 17998);
        Assert.Contains(Opens, o => o.ProcessId == 17998);
        Assert.All(Opens.Where(o => o.ProcessId == 17998), o => Assert.False(filter.Keeps(o)));
        Assert.All(Opens.Where(o => o.ProcessId != 17998), o => Assert.True(filter.Keeps(o)));
        Assert.EndsWith("but process 17998", filter.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_process_asked_for_by_id_is_not_excluded()
    {
        var filter = new WatchFilter([17998], excludedProcessId: 17998);
        Assert.Null(filter.ExcludedProcessId);
        Assert.All(Opens.Where(o => o.ProcessId == 17998), o => Assert.True(filter.Keeps(o)));
    }

    [Fact]
    public void Saved_traces_have_no_wall_clock_time_but_an_exact_timestamp()
    {
        Assert.All(Opens, o => Assert.Null(o.Time));
        Assert.All(Opens, o => Assert.Equal(o.TimestampNanoseconds / 1_000_000_000m, o.Timestamp));
        Assert.Null(TraceClock.Unknown.ToDateTime(1));
    }
}
