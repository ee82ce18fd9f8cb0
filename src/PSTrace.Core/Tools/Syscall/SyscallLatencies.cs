using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Syscall;

/// <summary>
/// Latencies per system call as log2 slots of whole microseconds (Watch-Syscall -Histogram): counted here from
/// the tracefs backend's paired calls, or read from the kernel's slots by the BPF backend; written one
/// <see cref="Log2Slots"/> per system call, by name, as "Duration (us)" (what Measure-TraceHistogram Duration
/// -GroupBy Name makes of the same calls).
/// </summary>
public sealed class SyscallLatencies
{
    public const string HistogramName = "Duration (us)";
    public const string Unit = "us";

    private readonly SortedDictionary<string, Dictionary<int, long>> _slots = new(StringComparer.Ordinal);

    /// <summary>Counts one call of <paramref name="name"/> that took <paramref name="nanoseconds"/>.</summary>
    public void AddCall(string name, ulong nanoseconds) => Add(name, Log2Slots.SlotOf(nanoseconds / 1000), 1);

    /// <summary>Adds <paramref name="count"/> calls to a slot of <paramref name="name"/>.</summary>
    public void Add(string name, int slot, long count)
    {
        if (!_slots.TryGetValue(name, out Dictionary<int, long>? slots))
        {
            _slots[name] = slots = new Dictionary<int, long>();
        }

        slots[slot] = slots.GetValueOrDefault(slot) + count;
    }

    public IEnumerable<Log2Slots> Histograms() => _slots.Select(kv => new Log2Slots(HistogramName, kv.Key, Unit, kv.Value));
}
