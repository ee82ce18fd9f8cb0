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

    /// <summary>Runs until a stop condition; the producer runs on its own thread.</summary>
    public void Run(TraceBuffer buffer, Func<CancellationToken, IEnumerable<object>> producer, IReadOnlyList<CpuBufferStats>? lostBaseline)
    {
        DateTime? deadline = Duration > TimeSpan.Zero ? DateTime.UtcNow + Duration : null;
        DateTime? drainUntil = null;
        DateTime nextTick = DateTime.UtcNow + TickInterval;
        using var readerCancel = CancellationTokenSource.CreateLinkedTokenSource(_cancel, ReaderStop);
        using var pump = new BoundedPump<object>(producer, QueueCapacity, readerCancel.Token);
        try
        {
            while (!_cancel.IsCancellationRequested && !LimitReached)
            {
                if (drainUntil is null && ((deadline is { } d && DateTime.UtcNow >= d) || EndCondition?.Invoke() == true))
                {
                    if (RequestEnd is null)
                    {
                        break;
                    }

                    RequestEnd();
                    drainUntil = DateTime.UtcNow + DrainLimit;
                }

                if (Tick is not null && drainUntil is null && DateTime.UtcNow >= nextTick)
                {
                    Tick();
                    nextTick = DateTime.UtcNow + TickInterval;
                }

                if (drainUntil is { } limit && DateTime.UtcNow >= limit)
                {
                    _cmdlet.WriteWarning($"The reader had not caught up with {buffer.DisplayName} {DrainLimit.TotalSeconds:0} s after the end; the rest was not read.");
                    break;
                }

                int wait = drainUntil is null && deadline is { } end ? (int)Math.Clamp((end - DateTime.UtcNow).TotalMilliseconds, 0, 100) : 100;
                if (pump.TryTake(out object? item, wait))
                {
                    Write(item);
                }
                else if (pump.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (InvalidOperationException e)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(e, "TraceReaderFailed", ErrorCategory.ReadError, buffer.DisplayName));
        }
        finally
        {
            pump.Stop();
            if (pump.Waits > 0)
            {
                _cmdlet.WriteVerbose($"The pipeline fell behind the reader {pump.Waits} time(s); the kernel's buffer absorbed it.");
            }

            Finish?.Invoke();
            ReportKernelLoss(buffer, lostBaseline);
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
                _losses.Note(lost);
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
            _losses.Finish(null, buffer.DisplayName);
            return;
        }

        _losses.Finish(now.Sum(s => s.Lost) - (baseline?.Sum(s => s.Lost) ?? 0), buffer.DisplayName);
    }
}
