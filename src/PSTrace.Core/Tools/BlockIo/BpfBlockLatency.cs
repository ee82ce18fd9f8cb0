using System.Buffers.Binary;
using System.Globalization;
using PSTrace.Core.Bpf;
using PSTrace.Core.Native;

namespace PSTrace.Core.Tools.BlockIo;

/// <summary>
/// Block I/O latency counted in the kernel, as bcc's biolatency: blockio.bpf.c times each request from
/// block_rq_issue to block_rq_complete and adds it to a power-of-two slot of microseconds (HistogramScale.Log2's
/// numbering), per disk when asked. No event is copied out; <see cref="Read"/> reads the counts. The program and its
/// maps live as long as this object (or the process).
/// </summary>
public sealed class BpfBlockLatency : IDisposable
{
    /// <summary>The module's program (Bpf/Programs/blockio.bpf.c).</summary>
    public const string ProgramFile = "blockio";

    /// <summary>The map of counts: key (dev_t u32, slot u32), value u64.</summary>
    public const string CountMap = "pstrace_hist";

    private static readonly string[] Programs = ["pstrace_bio_issue", "pstrace_bio_done"];

    private readonly BpfObject _object;
    private readonly bool _perDisk;
    private readonly BlockDevices _names = new();

    private BpfBlockLatency(BpfObject obj, bool perDisk)
    {
        _object = obj;
        _perDisk = perDisk;
    }

    /// <summary>The counts of one disk (<see cref="Device"/> null: all disks together), by slot.</summary>
    /// <param name="Device">The disk's name (vda), or "MAJOR,MINOR" when /sys does not name it.</param>
    public sealed record DiskSlots(string? Device, IReadOnlyDictionary<long, long> Slots);

    /// <summary>What was loaded and attached, for -Verbose.</summary>
    public string Description => $"Loaded {_object.Path}; attached {string.Join(", ", _object.Programs)}; counts in the map {CountMap}.";

    /// <summary>Loads and attaches the program, counting only <paramref name="devices"/> (all when empty).</summary>
    /// <exception cref="Tracefs.TraceException">A device that does not exist (BlockDeviceNotFound, before anything is loaded), or BPF is not available or refused the program.</exception>
    public static BpfBlockLatency Start(IEnumerable<string> devices, bool perDisk)
    {
        ArgumentNullException.ThrowIfNull(devices);
        uint[] numbers = devices.Select(d => (uint)BlockIoWatcher.DeviceNumber(d)).Distinct().ToArray();
        return new BpfBlockLatency(BpfObject.Load(ProgramFile, Programs, obj => Configure(obj, numbers, perDisk)), perDisk);
    }

    /// <summary>The counts so far: one entry per disk with -PerDisk (ordered by name), else one for all.</summary>
    public IReadOnlyList<DiskSlots> Read()
    {
        int fd = _object.MapFd(CountMap);
        var byDisk = new SortedDictionary<uint, Dictionary<long, long>>();
        Span<byte> key = stackalloc byte[8];
        Span<byte> next = stackalloc byte[8];
        Span<byte> value = stackalloc byte[8];
        bool first = true;
        while (LibBpf.MapGetNextKey(fd, first ? [] : key, next, CountMap))
        {
            first = false;
            next.CopyTo(key);
            if (!LibBpf.MapLookupElem(fd, key, value, CountMap))
            {
                continue; // gone between the two calls
            }

            uint dev = BinaryPrimitives.ReadUInt32LittleEndian(key);
            long slot = BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            if (!byDisk.TryGetValue(dev, out Dictionary<long, long>? slots))
            {
                byDisk[dev] = slots = new Dictionary<long, long>();
            }

            slots[slot] = (long)BinaryPrimitives.ReadUInt64LittleEndian(value);
        }

        return byDisk.Select(d => new DiskSlots(_perDisk ? NameOf(d.Key) : null, d.Value)).OrderBy(d => d.Device, StringComparer.Ordinal).ToList();
    }

    public void Dispose() => _object.Dispose();

    private string NameOf(uint dev)
    {
        (int major, int minor) = BlockDevices.Split(dev);
        return _names.NameOf(major, minor) ?? string.Create(CultureInfo.InvariantCulture, $"{major},{minor}");
    }

    /// <summary>The devices first, then the switch that makes the program look at them.</summary>
    private static void Configure(BpfObject obj, uint[] devices, bool perDisk)
    {
        Span<byte> key = stackalloc byte[4];
        foreach (uint dev in devices)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(key, dev);
            obj.WriteMap("pstrace_devices", key, [1]);
        }

        Span<byte> settings = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(settings, perDisk ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(settings[4..], devices.Length > 0 ? 1u : 0u);
        key.Clear();
        obj.WriteMap("pstrace_config", key, settings);
    }
}
