using System.Globalization;
using PSTrace.Core.Formats;
using PSTrace.Core.Processes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Syscall;

/// <summary>
/// Watches system calls without ptrace, like strace: one <see cref="SyscallEvent"/> per call that returned
/// (sys_enter_* paired with sys_exit_* on the same thread), or with <c>summary</c> one
/// <see cref="SyscallSummary"/> per system call at the end, like strace -c, or with <c>histogram</c> one
/// <see cref="Log2Slots"/> of latencies per system call at the end.
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
    private readonly bool _histogram;
    private TraceClock? _clock;
    private EventFormatCatalog? _catalog;
    private bool _excludeSelf;

    /// <param name="syscalls">Names of system calls to watch (wildcards * and ?); empty for all.</param>
    /// <param name="summary">Write counts and times per system call at the end instead of each call.</param>
    /// <param name="histogram">Write a log2 histogram of latencies per system call at the end instead of each call.</param>
    public SyscallWatcher(IEnumerable<string>? syscalls = null, bool summary = false, bool histogram = false)
    {
        _patterns = (syscalls ?? []).ToList();
        _summary = summary;
        _histogram = histogram;
    }

    /// <summary>True when one of <paramref name="patterns"/> (wildcards; none: all) matches the system call <paramref name="name"/>.</summary>
    public static bool Matches(IReadOnlyList<string> patterns, string name) =>
        patterns.Count == 0 || patterns.Any(p => Wildcard.IsMatch(p.ToLowerInvariant(), name));

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

        List<string> chosen = all.Where(s => Matches(_patterns, s)).ToList();
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
        var totals = new SyscallTotals();
        var latencies = new SyscallLatencies();
        bool counting = _summary || _histogram;
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
                    if (!counting)
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
                if (_histogram)
                {
                    latencies.AddCall(name, duration);
                }
                else if (_summary)
                {
                    totals.Add(name, 1, ErrnoNames.FromReturnValue(ret) is null ? 0 : 1, duration);
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

        IEnumerable<object> atEnd = _histogram ? latencies.Histograms() : _summary ? totals.Summaries() : [];
        foreach (object record in atEnd)
        {
            yield return record;
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
