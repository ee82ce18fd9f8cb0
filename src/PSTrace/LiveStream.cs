using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// The loop every live cmdlet shares: a reader thread follows a buffer into a bounded queue, and the
/// pipeline thread writes what comes out until -Duration, -MaxEvents, Ctrl+C or an early pipeline stop.
/// Lost events become warnings as well as records; WatchNotice objects become warnings; at the end the
/// kernel's per-CPU counters are checked for losses no record reported.
/// </summary>
internal sealed class LiveStream
{
    private const int QueueCapacity = 65536;

    /// <summary>How long, at most, the end of a watch waits for the reader to catch up with the buffer.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Cmdlet _cmdlet;
    private readonly CancellationToken _cancel;
    private readonly LossReport _losses;

    public LiveStream(Cmdlet cmdlet, CancellationToken cancel)
    {
        _cmdlet = cmdlet;
        _cancel = cancel;
        _losses = new LossReport(cmdlet.WriteWarning);
    }

    /// <summary>Stop after this long; zero for no limit.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Stop after writing this many counted records; zero for no limit.</summary>
    public int MaxRecords { get; init; }

    /// <summary>Which written objects count toward <see cref="MaxRecords"/>.</summary>
    public Func<object, bool> Counts { get; init; } = _ => true;

    /// <summary>What is written for an item (Get-TraceEvent adds field properties).</summary>
    public Func<object, object> Present { get; init; } = item => item;

    /// <summary>
    /// Asks the reader to finish: it reads what the buffer holds, lets the tool write what it still holds,
    /// then ends. Null when stopping means stopping at once (Get-TraceEvent).
    /// </summary>
    public Action? RequestEnd { get; init; }

    /// <summary>Polled while reading: true when the watch should end (a started program exited).</summary>
    public Func<bool>? EndCondition { get; init; }

    /// <summary>Called every <see cref="TickInterval"/> while reading (a heartbeat the tool needs); null for none.</summary>
    public Action? Tick { get; init; }

    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Also stops the reader (a session closing on a signal: its pipes must close before its instance goes).</summary>
    public CancellationToken ReaderStop { get; init; }

    /// <summary>Sees every item before it is written (Get-TraceEvent -OutFile notes what was recorded).</summary>
    public Action<object>? Observe { get; init; }

    /// <summary>Runs after the reader has stopped, before losses are reported (Get-TraceEvent -OutFile writes its file).</summary>
    public Action? Finish { get; init; }

    /// <summary>Counted records written so far.</summary>
    public int Written { get; private set; }

    public bool LimitReached => MaxRecords > 0 && Written >= MaxRecords;

    /// <summary>
    /// Runs until a stop condition; the producer runs on its own thread. At -Duration's end (or when the traced
    /// program has ended) what was recorded until then is still written: the reader is asked to finish
    /// (<see cref="RequestEnd"/>), or, without that, stopped, and what it had read is drained. Only Ctrl+C or
    /// -MaxEvents cut the drain short, and then the number read but not written is said.
    /// </summary>
    /// <param name="buffer">The live buffer, for the kernel's loss counters; null for a saved trace.</param>
    /// <param name="source">What is read, for messages.</param>
    public void Run(TraceBuffer? buffer, Func<CancellationToken, IEnumerable<object>> producer, IReadOnlyList<CpuBufferStats>? lostBaseline, string? source = null)
    {
        source ??= buffer?.DisplayName ?? "the trace";
        DateTime? deadline = Duration > TimeSpan.Zero ? DateTime.UtcNow + Duration : null;
        LiveProgress? progress = LiveProgress.For(_cmdlet, Duration);
        DateTime? drainUntil = null;
        bool ending = false;
        DateTime nextTick = DateTime.UtcNow + TickInterval;
        using var readerCancel = CancellationTokenSource.CreateLinkedTokenSource(_cancel, ReaderStop);
        using var pump = new BoundedPump<object>(producer, QueueCapacity, readerCancel.Token);
        try
        {
            while (!_cancel.IsCancellationRequested && !LimitReached)
            {
                if (!ending && ((deadline is { } d && DateTime.UtcNow >= d) || EndCondition?.Invoke() == true))
                {
                    ending = true;
                    if (RequestEnd is null)
                    {
                        // Not our buffer to mark: stop reading, then write what was read.
                        pump.Stop();
                    }
                    else
                    {
                        RequestEnd();
                        drainUntil = DateTime.UtcNow + DrainLimit;
                    }
                }

                if (Tick is not null && !ending && DateTime.UtcNow >= nextTick)
                {
                    Tick();
                    nextTick = DateTime.UtcNow + TickInterval;
                }

                if (drainUntil is { } limit && DateTime.UtcNow >= limit && !pump.ProducerDone)
                {
                    _cmdlet.WriteWarning($"The reader had not caught up with {source} {DrainLimit.TotalSeconds:0} s after the end; the rest was not read ({pump.Pending} record(s) read were not written).");
                    ending = false;
                    break;
                }

                progress?.Update(Written, _losses.Counted);
                int wait = !ending && deadline is { } end ? (int)Math.Clamp((end - DateTime.UtcNow).TotalMilliseconds, 0, 100) : 100;
                if (pump.TryTake(out object? item, wait))
                {
                    Write(item);
                }
                else if (pump.IsCompleted)
                {
                    ending = false;
                    break;
                }
            }
        }
        catch (Exception e) when (e is FlowControlException || (e is PipelineStoppedException && !_cancel.IsCancellationRequested))
        {
            // A command after this one took what it wanted (Select-Object -First stops the commands before it with
            // a flow-control exception, as a break in ForEach-Object does): the rest was not asked for, so it is
            // not a loss to report.
            ending = false;
            throw;
        }
        catch (InvalidOperationException e)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(e, "TraceReaderFailed", ErrorCategory.ReadError, source));
        }
        finally
        {
            progress?.Complete();
            pump.Stop();
            if (pump.Waits > 0)
            {
                _cmdlet.WriteVerbose($"The pipeline fell behind the reader {pump.Waits} time(s); the kernel's buffer absorbed it.");
            }

            Finish?.Invoke();
            if (ending)
            {
                ReportCutShort(pump.Pending);
            }

            if (buffer is not null)
            {
                ReportKernelLoss(buffer, lostBaseline);
            }
            else
            {
                // A saved trace: its gaps are the whole account.
                _losses.Finish(null, source, KernelLossAdvice);
            }
        }
    }

    /// <summary>Said after each lost-events warning (what the gap means for the records).</summary>
    public string? LostAdvice { get; init; }

    /// <summary>Said after a loss only the kernel's counters show (what to trace less of).</summary>
    public string KernelLossAdvice { get; init; } = LossReport.DefaultAdvice;

    /// <summary>Records read by the end of the window but not written, because Ctrl+C or -MaxEvents came first.</summary>
    public int NotWritten { get; private set; }

    private void ReportCutShort(int pending)
    {
        NotWritten = pending;
        if (pending == 0)
        {
            return;
        }

        string why = _cancel.IsCancellationRequested ? "the stop (Ctrl+C)" : "-MaxEvents";
        string text = $"{pending} record(s) read before the end were not written: {why} cut the end of the read short.";
        try
        {
            _cmdlet.WriteVerbose(text);
            _cmdlet.WriteWarning(text);
        }
        catch (PipelineStoppedException)
        {
            // After Ctrl+C the pipeline takes nothing more; the count was kept in NotWritten.
        }
    }

    private void Write(object item)
    {
        Observe?.Invoke(item);
        switch (item)
        {
            case WatchNotice notice:
                if (notice.IsWarning)
                {
                    _cmdlet.WriteWarning(notice.Message);
                }
                else
                {
                    _cmdlet.WriteVerbose(notice.Message);
                }

                return;
            case TraceLostEvents lost:
                _losses.Note(lost, LostAdvice);
                break;
        }

        _cmdlet.WriteObject(Present(item));
        if (Counts(item))
        {
            Written++;
        }
    }

    /// <summary>Overruns counted by the kernel that no LOST line reported: a warning, never silence.</summary>
    private void ReportKernelLoss(TraceBuffer buffer, IReadOnlyList<CpuBufferStats>? baseline)
    {
        IReadOnlyList<CpuBufferStats> now;
        try
        {
            now = CpuBufferStats.Read(buffer);
        }
        catch (TraceException)
        {
            _losses.Finish(null, buffer.DisplayName, KernelLossAdvice);
            return;
        }

        _losses.Finish(now.Sum(s => s.Lost) - (baseline?.Sum(s => s.Lost) ?? 0), buffer.DisplayName, KernelLossAdvice);
    }
}
