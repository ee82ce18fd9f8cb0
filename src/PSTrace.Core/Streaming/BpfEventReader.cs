using PSTrace.Core.Bpf;
using PSTrace.Core.Records;

namespace PSTrace.Core.Streaming;

/// <summary>
/// The BPF source of the one pipeline: polls a loaded program's ring buffer on the reader thread, turns each
/// record into a <see cref="TraceEvent"/> with the program's decoder, and reports the records the kernel could not
/// put into the buffer as <see cref="TraceLostEvents"/> with their counts. <see cref="RequestEnd"/> ends the read
/// after everything committed before it: a last poll takes what the buffer still holds.
/// </summary>
public sealed class BpfEventReader : IDisposable
{
    /// <summary>How long one poll waits: also how soon a stop or an end request is seen.</summary>
    private const int PollMs = 100;

    private readonly BpfRingBuffer _ring;
    private readonly BpfLossCounter _losses;
    private readonly Func<byte[], TraceEvent?> _decode;
    private volatile bool _endRequested;
    private ulong _lastTimestamp;

    /// <param name="decode">Turns one record into an event; null for a record to skip.</param>
    public BpfEventReader(BpfObject obj, string ringMap, string lossMap, Func<byte[], TraceEvent?> decode)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _decode = decode ?? throw new ArgumentNullException(nameof(decode));
        _losses = new BpfLossCounter(obj, lossMap);
        _ring = new BpfRingBuffer(obj, ringMap);
    }

    /// <summary>Records read so far.</summary>
    public long Records { get; private set; }

    /// <summary>Asks the read to end once it has taken what the ring buffer holds now.</summary>
    public void RequestEnd() => _endRequested = true;

    /// <summary>Events and lost-event records until cancelled or ended (<see cref="RequestEnd"/>).</summary>
    public IEnumerable<object> Read(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            // Read before polling: a poll that starts after the request takes everything committed before it.
            bool last = _endRequested;
            foreach (object item in Batch(_ring.Poll(last ? 0 : PollMs)))
            {
                yield return item;
            }

            if (last)
            {
                yield break;
            }
        }
    }

    private IEnumerable<object> Batch(List<byte[]> records)
    {
        foreach (byte[] record in records)
        {
            Records++;
            if (_decode(record) is { } ev)
            {
                _lastTimestamp = ev.TimestampNanoseconds;
                yield return ev;
            }
        }

        // Losses come after the records polled with them: the gap is at least that late.
        foreach (TraceLostEvents lost in _losses.Read(_lastTimestamp))
        {
            yield return lost;
        }
    }

    public void Dispose() => _ring.Dispose();
}
