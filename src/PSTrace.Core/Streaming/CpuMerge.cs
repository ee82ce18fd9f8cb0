using System.Diagnostics;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Merges the live pages of every CPU into one stream in timestamp order, decoding each record as it
/// goes out. A record is handed out once no CPU can still produce an earlier one: every other CPU
/// either has a record waiting (then the earliest goes first) or has been found empty since the
/// record's page was read (then whatever it commits next is later). So order holds, and an idle CPU
/// holds the others back only until its reader's next empty read.
/// </summary>
/// <remarks>
/// Equal timestamps go out in CPU order. A page's missed-events note comes out as a
/// <see cref="TraceLostEvents"/> just before the first record after the gap.
/// </remarks>
internal sealed class CpuMerge : IDisposable
{
    private const int WaitMilliseconds = 20;

    private readonly ICpuPageFeed[] _feeds;
    private readonly FeedPageSource[] _sources;
    private readonly CpuRecordStream[] _streams;
    private readonly bool[] _positioned;
    private readonly TraceEventDecoder _decoder;
    private readonly LiveTaskNames _names;
    private readonly IPageWait _wait;

    /// <param name="signal">Set by the feeds whenever they have news (a page, an empty read, an end).</param>
    public CpuMerge(IReadOnlyList<ICpuPageFeed> feeds, RingBufferLayout layout, EventFormatCatalog formats, LiveTaskNames names, ManualResetEventSlim signal)
        : this(feeds, layout, formats, names, new SignalPageWait(signal))
    {
    }

    /// <param name="wait">How to wait when no record may go out yet.</param>
    public CpuMerge(IReadOnlyList<ICpuPageFeed> feeds, RingBufferLayout layout, EventFormatCatalog formats, LiveTaskNames names, IPageWait wait)
    {
        _feeds = feeds.ToArray();
        _sources = _feeds.Select(f => new FeedPageSource(f, layout.PageSize)).ToArray();
        _streams = _feeds.Select((f, i) => new CpuRecordStream(_sources[i], layout, !BitConverter.IsLittleEndian, f.Cpu)).ToArray();
        _positioned = new bool[_feeds.Length];
        _decoder = new TraceEventDecoder(formats, names.Current, !BitConverter.IsLittleEndian) { Learner = new TaskNameLearner() };
        _names = names;
        _wait = wait;
    }

    /// <summary>Gives counts to gaps whose page did not store one (live buffers); null to leave them as the pages say.</summary>
    public CpuLossCounter? Losses { get; init; }

    /// <summary>Records handed out.</summary>
    public long Records { get; private set; }

    /// <summary>TraceEvent and TraceLostEvents objects in time order, until every feed has finished or <paramref name="cancel"/> fires.</summary>
    /// <exception cref="IOException">A CPU's reader failed.</exception>
    /// <exception cref="TraceDataException">A page is corrupt.</exception>
    public IEnumerable<object> Read(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            int next = Earliest(out bool anyLeft);
            if (next < 0)
            {
                if (!anyLeft)
                {
                    yield break;
                }

                _wait.Wait(WaitMilliseconds);
                continue;
            }

            long readTicks = _sources[next].CurrentReadTicks;
            if (!OthersCaughtUp(next, readTicks))
            {
                _wait.WaitForCatchUp(WaitMilliseconds);
                continue;
            }

            CpuRecordStream s = _streams[next];
            if (s.LostBefore)
            {
                yield return Losses is { } losses ? losses.Complete(s.Lost()) : s.Lost();
            }

            _decoder.Tasks = NamesFor(s.CurrentRecord, readTicks, cancel);
            yield return s.Decode(_decoder);
            Records++;
            _positioned[next] = false;
        }
    }

    /// <summary>The stream whose current record is earliest, -1 for none; anyLeft says whether more can come.</summary>
    private int Earliest(out bool anyLeft)
    {
        int best = -1;
        anyLeft = false;
        for (int i = 0; i < _streams.Length; i++)
        {
            if (_feeds[i].Error is { } error)
            {
                throw new IOException($"Reading CPU {_feeds[i].Cpu}'s trace_pipe_raw failed: {error.Message}", error);
            }

            if (!_positioned[i])
            {
                bool finished = _feeds[i].IsFinished;
                _positioned[i] = _streams[i].MoveNext();
                if (!_positioned[i] && finished)
                {
                    continue;
                }
            }

            anyLeft = true;
            if (_positioned[i] && (best < 0 || _streams[i].Timestamp < _streams[best].Timestamp))
            {
                best = i;
            }
        }

        return best;
    }

    private bool OthersCaughtUp(int candidate, long readTicks)
    {
        for (int j = 0; j < _streams.Length; j++)
        {
            if (j != candidate && !_positioned[j] && !_feeds[j].IsFinished && _feeds[j].CaughtUpTicks < readTicks)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Names read after the record; for a pid they lack, read once more when the kernel has had time to save it.</summary>
    private TaskNames NamesFor(ReadOnlySpan<byte> record, long readTicks, CancellationToken cancel)
    {
        TaskNames names = _names.For(readTicks);
        int pid = _decoder.ProcessIdOf(record);
        if (pid > 0 && !names.Commands.ContainsKey(pid) && !(_decoder.Learner is { } learnt && learnt.TryGet(pid, out _)))
        {
            long wait = _names.WaitBeforeRetry(readTicks);
            if (wait >= 0)
            {
                if (wait > 0)
                {
                    cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }

                names = _names.Retry();
            }
        }

        return names;
    }

    public void Dispose()
    {
        foreach (CpuRecordStream s in _streams)
        {
            s.Dispose();
        }
    }
}
