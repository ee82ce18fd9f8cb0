using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

public sealed partial class EventSource
{
    /// <summary>
    /// Follows a BPF program's ring buffer (<see cref="BpfEventReader"/>): its events come out as a live buffer's
    /// do, timed on CLOCK_MONOTONIC (bpf_ktime_get_ns), which <paramref name="clock"/> turns into wall-clock time.
    /// The source owns the reader.
    /// </summary>
    public static EventSource OpenBpf(BpfEventReader reader, string description, TraceClock clock)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new EventSource(description, null, reader.Read, owned: reader) { Clock = clock };
    }

    /// <summary>A BPF source: asks its reader to end after what the ring buffer holds; false for other sources.</summary>
    public bool RequestBpfEnd()
    {
        if (_owned is BpfEventReader reader)
        {
            reader.RequestEnd();
            return true;
        }

        return false;
    }
}
