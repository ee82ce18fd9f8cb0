using System.Globalization;
using PSTrace.Core.Formats;
using PSTrace.Core.Processes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Syscall;

/// <summary>
/// Watches system calls without ptrace, like strace: one <see cref="SyscallEvent"/> per call that returned
/// (sys_enter_* paired with sys_exit_* on the same thread), or with <c>summary</c> one
/// <see cref="SyscallSummary"/> per system call at the end, like strace -c.
/// </summary>
/// <remarks>
/// Watching every process's system calls includes the watch's own reads of its buffer, which would feed
/// themselves: without a process filter the watching process is left out, in the kernel filter for its
/// threads that exist now and by process for the rest.
/// </remarks>
public sealed class SyscallWatcher : TraceWatcher
{
    private const string EnterPrefix = "sys_enter_";
    private const string ExitPrefix = "sys_exit_";

    /// <summary>System calls that do not return to the caller: written when entered.</summary>
    private static readonly HashSet<string> NoReturn = new(StringComparer.Ordinal) { "exit", "exit_group" };

    private readonly IReadOnlyList<string> _patterns;
    private readonly bool _summary;
    private TraceClock? _clock;
    private EventFormatCatalog? _catalog;
    private bool _excludeSelf;

    /// <param name="syscalls">Names of system calls to watch (wildcards * and ?); empty for all.</param>
    /// <param name="summary">Write counts and times per system call at the end instead of each call.</param>
    public SyscallWatcher(IEnumerable<string>? syscalls = null, bool summary = false)
    {
        _patterns = (syscalls ?? []).ToList();
        _summary = summary;
    }

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _clock = setup.Clock;
        _catalog = setup.Catalog;
        List<string> all = setup.EventsOf("syscalls").Where(e => e.StartsWith(EnterPrefix, StringComparison.Ordinal)).Select(e => e[EnterPrefix.Length..]).ToList();
        if (all.Count == 0)
        {
            // A saved trace without them was recorded without them, whatever kernel this is.
            throw setup.Session is null
                ? new TraceException(TraceErrorKind.NotSupported, "SyscallEventsNotInTrace",
                    "The saved trace holds no syscall events (syscalls:sys_enter_*): it was not recorded by Watch-Syscall or with those events.", "Get-TraceEvent -Path shows the events the file holds.")
                : new TraceException(TraceErrorKind.NotSupported, "SyscallEventsNotSupported",
                    "This kernel has no syscall events (events/syscalls): it was built without CONFIG_FTRACE_SYSCALLS.", "Get-TraceCapability shows what this kernel can trace.");
        }

        List<string> chosen = _patterns.Count == 0 ? all : all.Where(s => _patterns.Any(p => Wildcard.IsMatch(p.ToLowerInvariant(), s))).ToList();
        if (chosen.Count == 0)
        {
            throw new TraceException(TraceErrorKind.NotFound, "SyscallNotFound", $"No system call matches {string.Join(", ", _patterns)}.",
                "Get-TraceEventType -System syscalls lists them (sys_enter_NAME).", string.Join(", ", _patterns));
        }

        _excludeSelf = !setup.Filter.HasProcesses;
        string? filter = _excludeSelf ? SelfExclusion() : null;
        foreach (EventId ev in CommandTracker.Events)
        {
            setup.Enable(ev);
        }
        if (chosen.Count == all.Count)
        {
            // One write for the whole system, as `echo 1 > events/syscalls/enable` does.
            setup.EnableSystem("syscalls", filter, byCommand: true);
        }
        else
        {
            foreach (string syscall in chosen)
            {
                setup.Enable(new EventId("syscalls", EnterPrefix + syscall), filter, byCommand: true);
                if (setup.HasEvent(new EventId("syscalls", ExitPrefix + syscall)))
                {
                    setup.Enable(new EventId("syscalls", ExitPrefix + syscall), filter, byCommand: true);
                }
            }
        }

        Backend = $"tracepoints syscalls:sys_enter_*/sys_exit_* ({chosen.Count} system calls), paired per thread; no ptrace";
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        TraceClock clock = _clock ?? TraceClock.Unknown;
        var pending = new Dictionary<int, (string Name, TraceEvent Enter)>();
        var commands = new CommandTracker();
        var totals = new Dictionary<string, (long Calls, long Errors, ulong Nanoseconds)>(StringComparer.Ordinal);
        int self = Environment.ProcessId;
        foreach (object item in events)
        {
            if (item is not TraceEvent ev)
            {
                yield return item;
                continue;
            }

            if (_excludeSelf && ev.ThreadGroupId == self)
            {
                continue;
            }

            if (ev.Name.StartsWith(EnterPrefix, StringComparison.Ordinal))
            {
                string name = ev.Name[EnterPrefix.Length..];
                if (NoReturn.Contains(name))
                {
                    pending.Remove(ev.ProcessId);
                    if (!_summary)
                    {
                        yield return Record(clock, ev, commands.CommandOf(ev), name, null, null);
                    }

                    continue;
                }

                pending[ev.ProcessId] = (name, ev);
            }
            else if (ev.Name.StartsWith(ExitPrefix, StringComparison.Ordinal))
            {
                string name = ev.Name[ExitPrefix.Length..];
                if (!pending.Remove(ev.ProcessId, out var enter) || enter.Name != name)
                {
                    continue; // entered before the watch started, or the entry was lost
                }

                long ret = EventFields.Long(ev, "ret") ?? 0;
                ulong duration = ev.TimestampNanoseconds >= enter.Enter.TimestampNanoseconds ? ev.TimestampNanoseconds - enter.Enter.TimestampNanoseconds : 0;
                if (_summary)
                {
                    totals.TryGetValue(name, out var t);
                    totals[name] = (t.Calls + 1, t.Errors + (ErrnoNames.FromReturnValue(ret) is null ? 0 : 1), t.Nanoseconds + duration);
                }
                else
                {
                    yield return Record(clock, enter.Enter, commands.CommandOf(enter.Enter), name, ret, duration);
                }
            }
            else
            {
                commands.Observe(ev);
            }
        }

        if (_summary)
        {
            ulong all = totals.Values.Aggregate(0UL, (sum, t) => sum + t.Nanoseconds);
            foreach ((string name, var t) in totals.OrderByDescending(kv => kv.Value.Nanoseconds).ThenByDescending(kv => kv.Value.Calls).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                yield return new SyscallSummary(name, t.Calls, t.Errors, t.Nanoseconds, all == 0 ? 0 : 100.0 * t.Nanoseconds / all);
            }
        }
    }

    private SyscallEvent Record(TraceClock clock, TraceEvent enter, string command, string name, long? ret, ulong? duration) =>
        new(clock.ToDateTime(enter.TimestampNanoseconds), enter.TimestampNanoseconds, EventFields.ProcessOf(enter), enter.ProcessId, command, name,
            SyscallArguments.Decode(name, enter.Fields, _catalog?.Find("syscalls", enter.Name)), ret, duration);

    /// <summary>A kernel filter that leaves out this process's threads as they are now.</summary>
    private static string? SelfExclusion()
    {
        IReadOnlyList<int> threads = ThreadGroups.ThreadsOf(Environment.ProcessId);
        return threads.Count == 0 ? null : string.Join(" && ", threads.Select(t => string.Create(CultureInfo.InvariantCulture, $"common_pid != {t}")));
    }
}
