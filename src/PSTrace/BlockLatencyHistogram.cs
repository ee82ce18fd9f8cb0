using System.Globalization;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;
using PSTrace.Core.Tools.BlockIo;

namespace PSTrace;

/// <summary>
/// Watch-BlockIo -Histogram's buckets, the same whichever backend counted: in the kernel (BPF map slots), or here
/// from the tracefs backend's <see cref="BlockIoEvent"/> records, each latency in whole microseconds as
/// Measure-TraceHistogram counts a TimeSpan. One histogram, or one per disk.
/// </summary>
internal static class BlockLatencyHistogram
{
    public const string Unit = "us";

    public const string Name = "Latency (" + Unit + ")";

    /// <summary>The kernel's counts as buckets, disk by disk.</summary>
    public static IEnumerable<HistogramBucket> FromKernel(IEnumerable<BpfBlockLatency.DiskSlots> disks) =>
        disks.SelectMany(d => HistogramBuilder.FromLog2Slots(d.Slots).Buckets(Name, d.Device, Unit));

    /// <summary>
    /// Counts the requests among <paramref name="records"/> and passes everything else on (lost events, notices);
    /// the buckets come at the end, disk by disk in name order with <paramref name="perDisk"/>.
    /// </summary>
    public static IEnumerable<object> Count(IEnumerable<object> records, bool perDisk)
    {
        var disks = new SortedDictionary<string, HistogramBuilder>(StringComparer.Ordinal);
        foreach (object item in records)
        {
            if (item is not BlockIoEvent io)
            {
                yield return item;
                continue;
            }

            string disk = perDisk ? io.Device ?? io.DeviceNumber : "";
            if (!disks.TryGetValue(disk, out HistogramBuilder? builder))
            {
                disks[disk] = builder = new HistogramBuilder(HistogramScale.Log2);
            }

            builder.Add(io.LatencyNanoseconds / 1000); // whole microseconds, as the kernel counts them
        }

        foreach ((string disk, HistogramBuilder builder) in disks)
        {
            foreach (HistogramBucket bucket in builder.Buckets(Name, perDisk ? disk : null, Unit))
            {
                yield return bucket;
            }
        }
    }

    /// <summary>"5s", "500ms": -Duration as -Verbose says it.</summary>
    public static string Describe(TimeSpan duration) => duration.TotalSeconds >= 1
        ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
}
