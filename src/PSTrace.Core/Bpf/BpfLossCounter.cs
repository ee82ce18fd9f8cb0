using System.Buffers.Binary;
using System.Globalization;
using PSTrace.Core.Native;
using PSTrace.Core.Records;

namespace PSTrace.Core.Bpf;

/// <summary>
/// The records a BPF program could not put into its ring buffer (full), counted per CPU in the kernel in a
/// per-CPU array map of one u64. <see cref="Read"/> gives a TraceLostEvents record for each CPU whose count grew.
/// </summary>
public sealed class BpfLossCounter
{
    private readonly int _fd;
    private readonly string _map;
    private readonly long[] _seen;

    public BpfLossCounter(BpfObject obj, string map)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _fd = obj.MapFd(map);
        _map = map;
        _seen = new long[PossibleCpus()];
    }

    /// <summary>The losses since the last call, one record per CPU that lost any, stamped <paramref name="timestamp"/>.</summary>
    public List<TraceLostEvents> Read(ulong timestamp)
    {
        var lost = new List<TraceLostEvents>();
        Span<byte> key = stackalloc byte[4];
        byte[] values = new byte[8 * _seen.Length];
        if (!LibBpf.MapLookupElem(_fd, key, values, _map))
        {
            return lost;
        }

        for (int cpu = 0; cpu < _seen.Length; cpu++)
        {
            long count = (long)BinaryPrimitives.ReadUInt64LittleEndian(values.AsSpan(8 * cpu));
            if (count > _seen[cpu])
            {
                lost.Add(new TraceLostEvents(cpu, count - _seen[cpu], timestamp));
                _seen[cpu] = count;
            }
        }

        return lost;
    }

    /// <summary>
    /// The kernel's possible CPUs (/sys/devices/system/cpu/possible, e.g. "0-3" or "0,2-5"): a per-CPU map's lookup
    /// writes one value for each, so the buffer must hold that many.
    /// </summary>
    internal static int PossibleCpus(string path = "/sys/devices/system/cpu/possible")
    {
        int highest = -1;
        foreach (string part in File.ReadAllText(path).Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string last = part.Contains('-', StringComparison.Ordinal) ? part[(part.IndexOf('-', StringComparison.Ordinal) + 1)..] : part;
            highest = Math.Max(highest, int.Parse(last, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return highest + 1;
    }
}
