namespace PSTrace.Core.Records;

/// <summary>
/// The kernel lost events on a CPU (its buffer overran before they were read).
/// Emitted in place, so a script can see where the gap is; Count is null when the kernel did not say.
/// Cpu is -1 when the count covers every CPU (a trace file's header: entries written minus entries in the buffer).
/// </summary>
public sealed class TraceLostEvents
{
    public TraceLostEvents(int cpu, long? count, ulong timestampNanoseconds = 0)
    {
        Cpu = cpu;
        Count = count;
        TimestampNanoseconds = timestampNanoseconds;
    }

    public int Cpu { get; }
    public long? Count { get; }
    public ulong TimestampNanoseconds { get; }

    public override string ToString()
    {
        string where = Cpu < 0 ? "ALL CPUS" : $"CPU:{Cpu}";
        return Count is { } n ? $"{where} [LOST {n} EVENTS]" : $"{where} [LOST EVENTS]";
    }
}
