using System.Globalization;
using PSTrace.Core.Records;

namespace PSTrace;

/// <summary>
/// How lost events are said while a live command runs: each gap is a TraceLostEvents record in the
/// output, and beside them at most one warning a second (what was lost since the last one) and, at the
/// end, one warning with the exact total. A burst that overruns the buffer makes dozens of gaps a
/// second; a warning for each would bury the output.
/// </summary>
internal sealed class LossReport
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Action<string> _warn;
    private readonly Func<DateTime> _clock;
    private DateTime _lastWarning = DateTime.MinValue;
    private long _pendingCount;
    private int _pendingGaps;
    private bool _pendingUnknown;
    private readonly SortedSet<int> _pendingCpus = new();

    /// <summary>How to lose less, unless the tool knows better.</summary>
    public const string DefaultAdvice = "Use a filter, fewer events, or a larger buffer.";

    public LossReport(Action<string> warn, Func<DateTime>? clock = null)
    {
        _warn = warn;
        _clock = clock ?? (() => DateTime.UtcNow);
    }

    /// <summary>Gaps seen (TraceLostEvents records).</summary>
    public int Gaps { get; private set; }

    /// <summary>Events the records counted.</summary>
    public long Counted { get; private set; }

    /// <summary>Gaps whose record had no count.</summary>
    public int Uncounted { get; private set; }

    /// <summary>Notes a gap; warns when the last warning is a second old or more.</summary>
    /// <param name="lost">The gap.</param>
    /// <param name="advice">What the reader of the warning can make of the gap, if the tool has something to say.</param>
    public void Note(TraceLostEvents lost, string? advice = null)
    {
        Gaps++;
        _pendingGaps++;
        _pendingCpus.Add(lost.Cpu);
        if (lost.Count is { } n)
        {
            Counted += n;
            _pendingCount += n;
        }
        else
        {
            Uncounted++;
            _pendingUnknown = true;
        }

        DateTime now = _clock();
        if (now - _lastWarning >= Interval)
        {
            _lastWarning = now;
            string count = _pendingCount.ToString(CultureInfo.InvariantCulture) + (_pendingUnknown ? " or more" : "");
            string cpus = _pendingCpus.Contains(-1) ? "all CPUs" : (_pendingCpus.Count == 1 ? "CPU " : "CPUs ") + string.Join(",", _pendingCpus);
            _warn($"The kernel lost {count} event(s) on {cpus} ({_pendingGaps} gap(s), each a TraceLostEvents record where it happened)." + (advice is null ? "" : " " + advice));
            _pendingCount = 0;
            _pendingGaps = 0;
            _pendingUnknown = false;
            _pendingCpus.Clear();
        }
    }

    /// <summary>
    /// The summary at the end: the exact total, from the kernel's per-CPU counters when they could be read
    /// (<paramref name="kernelLost"/>, null when not), else from the records.
    /// </summary>
    /// <param name="kernelLost">The kernel's count for the session; null when its counters could not be read.</param>
    /// <param name="bufferName">The buffer, for the message.</param>
    /// <param name="advice">How to lose less.</param>
    public void Finish(long? kernelLost, string bufferName, string advice = DefaultAdvice)
    {
        long total = Math.Max(kernelLost ?? 0, Counted);
        if (total == 0 && Gaps == 0)
        {
            return;
        }

        string where = $"{Gaps.ToString(CultureInfo.InvariantCulture)} gap(s) reported as TraceLostEvents records";
        if (kernelLost is null)
        {
            _warn($"In all the kernel lost {(Uncounted > 0 ? "at least " : "")}{total.ToString(CultureInfo.InvariantCulture)} event(s) in {bufferName} while tracing ({where}).");
        }
        else if (kernelLost > Counted)
        {
            long unreported = kernelLost.Value - Counted;
            _warn($"In all the kernel lost {total.ToString(CultureInfo.InvariantCulture)} event(s) in {bufferName} while tracing (per_cpu stats; {where}, {unreported.ToString(CultureInfo.InvariantCulture)} of them with no record): the reader did not keep up. {advice}");
        }
        else
        {
            _warn($"In all the kernel lost {total.ToString(CultureInfo.InvariantCulture)} event(s) in {bufferName} while tracing (per_cpu stats; {where}): the reader did not keep up. {advice}");
        }
    }
}
