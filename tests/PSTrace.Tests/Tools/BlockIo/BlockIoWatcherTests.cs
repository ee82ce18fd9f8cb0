using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.BlockIo;

namespace PSTrace.Tests.Tools.BlockIo;

/// <summary>BlockIoWatcher over a real capture (block-trace.txt): dd reading a 128 KB file with O_DIRECT.</summary>
public class BlockIoWatcherTests
{
    private static readonly List<BlockIoEvent> Requests = WatchFixtures.Run(new BlockIoWatcher(), WatchFixtures.Block).OfType<BlockIoEvent>().ToList();

    [Fact]
    public void Two_reads_paired_from_insert_and_issue_to_completion()
    {
        Assert.Equal(2, Requests.Count);

        // block-extent.txt: the file starts at 4 KB block 4490080, so at sector 4490080 * 8.
        Assert.Equal([4490080UL * 8, 4490080UL * 8 + 128], Requests.Select(r => r.Sector));
        Assert.All(Requests, r =>
        {
            Assert.Equal("dd", r.Command);
            Assert.Equal(18008, r.ProcessId);
            Assert.Equal(254, r.Major);
            Assert.Equal(0, r.Minor);
            Assert.Equal("254,0", r.DeviceNumber);
            Assert.Equal("RS", r.Operation);
            Assert.Equal(65536, r.Bytes);
            Assert.Null(r.Error);
        });
    }

    [Fact]
    public void A_saved_traces_requests_are_kept_to_the_devices_asked_for()
    {
        // Nothing filtered the saved events in the kernel: -Device must still keep only its devices.
        Assert.Equal(2, WatchFixtures.Run(new BlockIoWatcher(["254,0"]), WatchFixtures.Block).OfType<BlockIoEvent>().Count());
        Assert.Empty(WatchFixtures.Run(new BlockIoWatcher(["254,16"]), WatchFixtures.Block).OfType<BlockIoEvent>());
    }

    [Fact]
    public void Latencies_are_the_differences_of_the_printed_timestamps()
    {
        // insert 5438.131617, issue 5438.131625, complete 5438.131921; insert .131959, issue .131961, complete .132060
        Assert.Equal([8_000UL, 2_000UL], Requests.Select(r => r.QueueLatencyNanoseconds!.Value));
        Assert.Equal([296_000UL, 99_000UL], Requests.Select(r => r.LatencyNanoseconds));
        Assert.Equal(TimeSpan.FromMicroseconds(296), Requests[0].Latency);
        Assert.Equal(5_438_131_921_000UL, Requests[0].TimestampNanoseconds);
    }

    [Fact]
    public void A_process_filter_keeps_only_its_requests()
    {
        Assert.Empty(WatchFixtures.Run(new BlockIoWatcher(), WatchFixtures.Block, new WatchFilter([1])).OfType<BlockIoEvent>());
        Assert.Equal(2, WatchFixtures.Run(new BlockIoWatcher(), WatchFixtures.Block, new WatchFilter([18008])).OfType<BlockIoEvent>().Count());
    }
}
