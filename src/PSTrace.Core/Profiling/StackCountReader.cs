using PSTrace.Core.Bpf;
using PSTrace.Core.Native;

namespace PSTrace.Core.Profiling;

/// <summary>
/// Reads a loaded profile program's two maps (Bpf/Programs/stacks.bpf.h): the counts by thread and stack ids, and the
/// stored stacks those ids name. The maps stay the object's; this only reads them.
/// </summary>
internal sealed class StackCountReader
{
    public const string CountsMap = "pstrace_counts";
    public const string StacksMap = "pstrace_stacks";
    public const string LostMap = "pstrace_lost";

    private readonly int _counts;
    private readonly int _stacks;
    private readonly Dictionary<int, ulong[]?> _stored = new();

    public StackCountReader(BpfObject obj)
    {
        _counts = obj.MapFd(CountsMap);
        _stacks = obj.MapFd(StacksMap);
    }

    /// <summary>The thread groups the counts hold so far (a walk of the keys only: cheap enough to do every second).</summary>
    public HashSet<int> ProcessIds()
    {
        var pids = new HashSet<int>();
        foreach (byte[] key in Keys())
        {
            pids.Add(StackCount.ProcessIdOf(key));
        }

        return pids;
    }

    /// <summary>Every entry of the counts map.</summary>
    public List<StackCount> Counts()
    {
        var counts = new List<StackCount>();
        byte[] value = new byte[StackCount.ValueSize];
        foreach (byte[] key in Keys())
        {
            // A key may go between the walk and the lookup only if the map changed; then it is simply not there.
            if (LibBpf.MapLookupElem(_counts, key, value, CountsMap))
            {
                counts.Add(StackCount.Decode(key, value));
            }
        }

        return counts;
    }

    /// <summary>The addresses of a stored stack, innermost first; null when the id names none (a negative errno, or gone).</summary>
    public ulong[]? Stack(int id)
    {
        if (id < 0)
        {
            return null;
        }

        if (!_stored.TryGetValue(id, out ulong[]? addresses))
        {
            byte[] value = new byte[StackAddresses.ValueSize];
            addresses = LibBpf.MapLookupElem(_stacks, BitConverter.GetBytes((uint)id), value, StacksMap) ? StackAddresses.Decode(value) : null;
            _stored[id] = addresses;
        }

        return addresses;
    }

    private List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        byte[] key = [];
        var next = new byte[StackCount.KeySize];
        while (LibBpf.MapGetNextKey(_counts, key, next, CountsMap))
        {
            key = (byte[])next.Clone();
            keys.Add(key);
        }

        return keys;
    }
}
