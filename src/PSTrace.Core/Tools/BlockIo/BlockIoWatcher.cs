using System.Globalization;
using PSTrace.Core.Native;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.BlockIo;

/// <summary>
/// Watches block device I/O, like iosnoop and biosnoop: one <see cref="BlockIoEvent"/> per request, from
/// block_rq_insert (into the I/O scheduler) and block_rq_issue (to the device) to block_rq_complete, paired by
/// device and sector. Requests whose other half the trace does not hold are counted and reported.
/// </summary>
/// <remarks>
/// Completions run in interrupt context, on behalf of whatever task was interrupted, so the kernel's pid filter
/// (set_event_pid) would drop them: processes are filtered here, by the task that inserted or issued the request.
/// Devices are filtered in the kernel (dev == N on every event).
/// </remarks>
public sealed class BlockIoWatcher : TraceWatcher
{
    private const string Insert = "block_rq_insert";
    private const string Issue = "block_rq_issue";
    private const string Complete = "block_rq_complete";
    private const string Requeue = "block_rq_requeue";

    /// <summary>Completions this soon after the start may belong to requests issued before it: not counted as lost.</summary>
    private const ulong StartWindowNanoseconds = 1_000_000_000;

    private readonly IReadOnlyList<string> _devices;
    private readonly BlockDevices _names = new();
    private TraceClock? _clock;
    private WatchFilter _filter = WatchFilter.None;
    private ulong _startNanoseconds;

    // A saved trace's events passed no kernel filter: -Device is applied here.
    private HashSet<ulong>? _savedDevices;

    /// <param name="devices">Devices to watch, by name (vda, sda1) or number (254,0); all when empty.</param>
    public BlockIoWatcher(IEnumerable<string>? devices = null) => _devices = (devices ?? []).ToList();

    public override bool UsesKernelProcessFilter => false;

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _clock = setup.Clock;
        _filter = setup.Filter;
        _startNanoseconds = Libc.ClockGetTime(Libc.CLOCK_MONOTONIC);
        string? deviceFilter = _devices.Count == 0 ? null : string.Join(" || ", _devices.Select(d => "dev == " + DeviceNumber(d).ToString(CultureInfo.InvariantCulture)));
        _savedDevices = setup.Session is null && _devices.Count > 0 ? _devices.Select(DeviceNumber).ToHashSet() : null;
        foreach (string name in new[] { Insert, Issue, Complete, Requeue })
        {
            var ev = new EventId("block", name);
            if (setup.HasEvent(ev))
            {
                setup.Enable(ev, deviceFilter);
            }
        }

        if (setup.Filter.HasProcesses && setup.Filter.IncludeChildren)
        {
            setup.Enable(new EventId("sched", "sched_process_fork"));
        }

        if (setup.Filter.HasProcesses || setup.Filter.HasCommands)
        {
            setup.Detail("Processes and command names are filtered here, not in the kernel: block completions run in interrupt context, where the task is whoever was interrupted.");
        }

        Backend = "tracepoints block_rq_insert, block_rq_issue and block_rq_complete, paired by device and sector"
            + (setup.HasKprobes ? "" : " (this kernel has no kprobes)");
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        TraceClock clock = _clock ?? TraceClock.Unknown;
        var pending = new Dictionary<(ulong Dev, ulong Sector), PendingRequest>();
        var scope = new HashSet<int>(_filter.ProcessIds);
        long earlyCompletions = 0, unpairedCompletions = 0, lostRecords = 0;
        foreach (object item in events)
        {
            if (item is TraceLostEvents)
            {
                lostRecords++;
            }

            if (item is not TraceEvent ev)
            {
                yield return item;
                continue;
            }

            if (ev.Name == "sched_process_fork")
            {
                if (scope.Contains(EventFields.ProcessOf(ev)) && EventFields.Int(ev, "child_pid") is int child)
                {
                    scope.Add(child);
                }

                continue;
            }

            if (EventFields.ULong(ev, "dev") is not ulong dev || EventFields.ULong(ev, "sector") is not ulong sector
                || (_savedDevices is not null && !_savedDevices.Contains(dev)))
            {
                continue;
            }

            var key = (dev, sector);
            switch (ev.Name)
            {
                case Insert:
                    pending[key] = Attribute(ev, insert: true);
                    break;
                case Issue:
                    if (pending.TryGetValue(key, out PendingRequest? inserted))
                    {
                        inserted.IssueNanoseconds = ev.TimestampNanoseconds;
                    }
                    else
                    {
                        pending[key] = Attribute(ev, insert: false);
                    }

                    break;
                case Requeue:
                    if (pending.TryGetValue(key, out PendingRequest? requeued))
                    {
                        requeued.IssueNanoseconds = null;
                    }

                    break;
                case Complete:
                    if (!pending.Remove(key, out PendingRequest? r) || r.IssueNanoseconds is not ulong issued)
                    {
                        if (ev.TimestampNanoseconds < _startNanoseconds + StartWindowNanoseconds)
                        {
                            earlyCompletions++;
                        }
                        else
                        {
                            unpairedCompletions++;
                        }

                        break;
                    }

                    if (_filter.HasProcesses && !scope.Contains(r.ProcessId))
                    {
                        break;
                    }

                    (int major, int minor) = BlockDevices.Split(dev);
                    yield return new BlockIoEvent(clock.ToDateTime(ev.TimestampNanoseconds), ev.TimestampNanoseconds, r.Command, r.ProcessId, r.ThreadId,
                        major, minor, _names.NameOf(major, minor), r.Operation, sector, r.Bytes,
                        r.InsertNanoseconds is ulong ins && issued >= ins ? issued - ins : null,
                        ev.TimestampNanoseconds >= issued ? ev.TimestampNanoseconds - issued : 0,
                        EventFields.Int(ev, "error") ?? 0);
                    break;
            }
        }

        if (earlyCompletions > 0)
        {
            yield return new WatchNotice(string.Create(CultureInfo.InvariantCulture,
                $"{earlyCompletions} request(s) completed in the first second without an issue in the trace: issued before the watch started."), isWarning: false);
        }

        if (unpairedCompletions > 0)
        {
            yield return new WatchNotice(string.Create(CultureInfo.InvariantCulture,
                $"{unpairedCompletions} completion(s) had no issue in the trace (lost pairs{(lostRecords > 0 ? ": the kernel lost events" : "")}); they are not in the output."));
        }

        int open = pending.Values.Count(p => p.IssueNanoseconds is not null);
        if (open > 0)
        {
            yield return new WatchNotice(string.Create(CultureInfo.InvariantCulture,
                $"{open} request(s) issued during the watch had not completed when it ended; they are not in the output."), isWarning: false);
        }
    }

    private static PendingRequest Attribute(TraceEvent ev, bool insert) => new()
    {
        InsertNanoseconds = insert ? ev.TimestampNanoseconds : null,
        IssueNanoseconds = insert ? null : ev.TimestampNanoseconds,
        ThreadId = ev.ProcessId,
        ProcessId = EventFields.ProcessOf(ev),
        Command = EventFields.String(ev, "comm") ?? ev.Command,
        Operation = (EventFields.String(ev, "rwbs") ?? "").Trim(),
        Bytes = EventFields.Long(ev, "bytes") is long b && b > 0 ? b : (EventFields.Long(ev, "nr_sector") ?? 0) * 512,
    };

    /// <summary>A device's number as the kernel's dev_t in trace events, from its name (vda) or "MAJOR,MINOR".</summary>
    internal static ulong DeviceNumber(string device)
    {
        string text = device.StartsWith("/dev/", StringComparison.Ordinal) ? device[5..] : device;
        string[] parts = text.Split(',', ':');
        if (parts.Length == 2 && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint major)
            && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint minor))
        {
            return ((ulong)major << 20) | minor;
        }

        string sys = Path.Combine("/sys/class/block", text, "dev");
        if (!File.Exists(sys) || text.Contains('/', StringComparison.Ordinal))
        {
            throw new TraceException(TraceErrorKind.NotFound, "BlockDeviceNotFound", $"There is no block device '{device}'.",
                "lsblk lists block devices; give a name (vda, sda1) or MAJOR,MINOR.", device);
        }

        string[] numbers = File.ReadAllText(sys).Trim().Split(':');
        return (ulong.Parse(numbers[0], CultureInfo.InvariantCulture) << 20) | ulong.Parse(numbers[1], CultureInfo.InvariantCulture);
    }
}
