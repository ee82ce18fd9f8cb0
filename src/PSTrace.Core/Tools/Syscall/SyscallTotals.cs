using PSTrace.Core.Records;

namespace PSTrace.Core.Tools.Syscall;

/// <summary>
/// Calls, errors and time per system call, added up as calls return, and written as strace -c does: one
/// <see cref="SyscallSummary"/> per call, most time first. Both backends of Watch-Syscall -Summary end here.
/// </summary>
public sealed class SyscallTotals
{
    private readonly Dictionary<string, (long Calls, long Errors, ulong Nanoseconds)> _totals = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="calls"/> returned calls of <paramref name="name"/>, <paramref name="errors"/> of them failed, taking <paramref name="nanoseconds"/> in all.</summary>
    public void Add(string name, long calls, long errors, ulong nanoseconds)
    {
        _totals.TryGetValue(name, out var t);
        _totals[name] = (t.Calls + calls, t.Errors + errors, t.Nanoseconds + nanoseconds);
    }

    /// <summary>One summary per system call: most time first, then most calls, then by name.</summary>
    public IEnumerable<SyscallSummary> Summaries()
    {
        ulong all = _totals.Values.Aggregate(0UL, (sum, t) => sum + t.Nanoseconds);
        foreach ((string name, var t) in _totals.OrderByDescending(kv => kv.Value.Nanoseconds).ThenByDescending(kv => kv.Value.Calls).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            yield return new SyscallSummary(name, t.Calls, t.Errors, t.Nanoseconds, all == 0 ? 0 : 100.0 * t.Nanoseconds / all);
        }
    }
}
