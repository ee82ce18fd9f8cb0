using System.Buffers.Binary;
using PSTrace.Core.Native;

namespace PSTrace.Core.Bpf;

/// <summary>
/// Reads the counters PSTrace's programs keep in per-CPU maps (values of u64 fields, each CPU its own copy, so the
/// programs count without atomics): every key of a hash map, or one key of an array, with each field summed over
/// the CPUs. Read once, at the end of a count.
/// </summary>
public static class BpfCounterMap
{
    /// <summary>Every key of the per-CPU hash map <paramref name="map"/> with its <paramref name="fields"/> u64 fields summed over the CPUs.</summary>
    public static List<(byte[] Key, ulong[] Sums)> ReadAll(BpfObject obj, string map, int keySize, int fields)
    {
        ArgumentNullException.ThrowIfNull(obj);
        int fd = obj.MapFd(map);
        int cpus = BpfLossCounter.PossibleCpus();
        var all = new List<(byte[], ulong[])>();
        byte[] values = new byte[8 * fields * cpus];
        byte[] key = [];
        byte[] next = new byte[keySize];
        while (LibBpf.MapGetNextKey(fd, key, next, map))
        {
            key = (byte[])next.Clone();

            // A key gone between the walk and the lookup (not done by PSTrace's programs) is skipped.
            if (LibBpf.MapLookupElem(fd, key, values, map))
            {
                all.Add((key, Sum(values, fields, cpus)));
            }
        }

        return all;
    }

    /// <summary>The fields of entry <paramref name="index"/> of a per-CPU array map, summed over the CPUs.</summary>
    public static ulong[] ReadArrayEntry(BpfObject obj, string map, uint index, int fields)
    {
        ArgumentNullException.ThrowIfNull(obj);
        int cpus = BpfLossCounter.PossibleCpus();
        byte[] values = new byte[8 * fields * cpus];
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, index);
        return LibBpf.MapLookupElem(obj.MapFd(map), key, values, map) ? Sum(values, fields, cpus) : new ulong[fields];
    }

    /// <summary>Per-CPU values as the kernel copies them out (CPU after CPU, each <paramref name="fields"/> u64), summed field by field.</summary>
    internal static ulong[] Sum(ReadOnlySpan<byte> values, int fields, int cpus)
    {
        var sums = new ulong[fields];
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            for (int f = 0; f < fields; f++)
            {
                sums[f] += BinaryPrimitives.ReadUInt64LittleEndian(values[(8 * ((cpu * fields) + f))..]);
            }
        }

        return sums;
    }
}
