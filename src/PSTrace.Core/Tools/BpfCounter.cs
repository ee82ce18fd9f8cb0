using PSTrace.Core.Bpf;
using PSTrace.Core.Records;

namespace PSTrace.Core.Tools;

/// <summary>
/// A tool whose BPF program counts in maps rather than sending records (Watch-Syscall -Summary, Measure-TraceEvent):
/// the program keeps to the filter's processes itself, and when the watch ends the maps are read into the tool's
/// records, after a warning for whatever a full map kept from being counted.
/// </summary>
public abstract class BpfCounter : BpfWatcher
{
    private BpfObject? _loaded;

    /// <summary>Loads and attaches the program with <paramref name="config"/> written first; <paramref name="attach"/> attaches programs of its own.</summary>
    protected BpfObject LoadCounting(BpfCountingConfig config, Action<BpfObject>? attach = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _loaded = BpfObject.Load(ProgramFile, Programs.Concat(config.ExtraPrograms), obj =>
        {
            config.WriteTo(obj);
            attach?.Invoke(obj);
        });
        return _loaded;
    }

    /// <summary>The program sends no record.</summary>
    public sealed override TraceEvent? Decode(byte[] record) => null;

    /// <summary>The tool's records from the loaded object's maps.</summary>
    protected abstract IEnumerable<object> ReadCounts(BpfObject obj);

    /// <summary>What the count is of, for the warning about what was not counted ("system call(s)").</summary>
    protected abstract string Counted { get; }

    public sealed override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (object item in events)
        {
            yield return item;
        }

        BpfObject obj = _loaded ?? throw new InvalidOperationException("The program was not loaded.");
        long uncounted = BpfCountingConfig.Uncounted(obj);
        if (uncounted > 0)
        {
            yield return new WatchNotice($"{uncounted} {Counted} could not be counted: a map of {ProgramFile}.bpf.o was full (too many processes or keys at once).", isWarning: true);
        }

        foreach (object record in ReadCounts(obj))
        {
            yield return record;
        }
    }
}
