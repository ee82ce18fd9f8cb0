using System.Globalization;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.HostLookup;

/// <summary>
/// Watches host name lookups, like gethostlatency, and ties them to the connections that follow: one
/// <see cref="HostLookupEvent"/> per getaddrinfo call, with its latency, the addresses it returned and the
/// connect() calls the process made to them within a window after it.
/// </summary>
/// <remarks>
/// <para>uprobes on libc: getaddrinfo's entry (host, service) and return (the EAI code); freeaddrinfo, where the
/// process hands the list back, reads up to <see cref="MaxResults"/> entries (a uretprobe cannot follow the
/// result pointer, which was an argument); connect's entry reads the address, and syscalls:sys_exit_connect
/// gives its result. Calls made inside getaddrinfo (the resolver's own sockets) are not counted as the
/// process's. A lookup is written when the window has passed, when its process exits, or when the watch ends;
/// a heartbeat written into the buffer keeps the window moving when nothing else happens.</para>
/// <para>Programs that resolve names without libc (Go's own resolver, static binaries) are not seen. The list
/// is only known if the process calls freeaddrinfo within the window; without it Result is null and no
/// connection can be matched.</para>
/// </remarks>
public sealed class HostLookupWatcher : TraceWatcher
{
    /// <summary>Entries of the result list the freeaddrinfo probe reads.</summary>
    public const int MaxResults = 8;

    /// <summary>struct addrinfo on LP64: ai_addr at 24, ai_next at 40.</summary>
    private const int AddrOffset = 24;
    private const int NextOffset = 40;

    private readonly TimeSpan _window;
    private TraceClock? _clock;
    private string? _entry, _return, _free, _connect;

    public HostLookupWatcher(TimeSpan? connectionWindow = null) => _window = connectionWindow ?? TimeSpan.FromSeconds(2);

    /// <summary>The window needs time to pass even when no event arrives.</summary>
    public override TimeSpan? Heartbeat => TimeSpan.FromMilliseconds(250);

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _clock = setup.Clock;
        UserProbePoint getaddrinfo = LibcProbes.Find("getaddrinfo", out string? problem)
            ?? throw new TraceException(TraceErrorKind.NotSupported, "GetaddrinfoNotFound", $"libc's getaddrinfo was not found: {problem}", null, LibcProbes.Library);
        UserProbePoint? freeaddrinfo = LibcProbes.Find("freeaddrinfo", out string? freeProblem);
        UserProbePoint? connect = LibcProbes.Find("connect", out string? connectProblem);

        foreach (EventId ev in CommandTracker.Events)
        {
            setup.Enable(ev);
        }
        _entry = setup.AddProbe(LibcProbes.Entry(getaddrinfo, "service=+0(%si):string", "host=+0(%di):string"), "lookup", byCommand: true).Event;
        _return = setup.AddProbe(LibcProbes.Return(getaddrinfo, "ret=$retval:s32"), "lookup_ret", byCommand: true).Event;
        if (freeaddrinfo is not null)
        {
            _free = setup.AddProbe(LibcProbes.Entry(freeaddrinfo, [.. ResultArguments()]), "lookup_result", byCommand: true).Event;
        }
        else
        {
            setup.Warn($"Lookup results are not available (freeaddrinfo not found: {freeProblem}); Result and Connections stay empty.");
        }

        if (connect is not null)
        {
            _connect = setup.AddProbe(LibcProbes.Entry(connect, "fd=%di:s32", "fam=+0(%si):u16", "port=+2(%si):x16", "v4=+4(%si):x32", "lo=+8(%si):x64", "hi=+16(%si):x64"),
                "connect", byCommand: true).Event;
            var exit = new EventId("syscalls", "sys_exit_connect");
            if (setup.HasEvent(exit))
            {
                setup.Enable(exit, byCommand: true);
            }
        }
        else
        {
            setup.Warn($"Connections are not available (connect not found: {connectProblem}).");
        }

        Backend = $"uprobes on getaddrinfo (entry and return), freeaddrinfo and connect in {getaddrinfo.Path}; tracepoint sys_exit_connect; "
            + $"connections matched within {_window.TotalSeconds:0.###} s" + (setup.HasKprobes ? "" : " (this kernel has no kprobes)");
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        TraceClock clock = _clock ?? TraceClock.Unknown;
        ulong window = (ulong)_window.Ticks * 100;
        var inflight = new Dictionary<int, PendingLookup>();
        var waiting = new List<PendingLookup>();
        var connecting = new Dictionary<int, (ulong Timestamp, int Fd, string Address, int Port)>();
        var connections = new Dictionary<int, List<HostConnection>>();
        var commands = new CommandTracker();
        foreach (object item in events)
        {
            if (item is not TraceEvent ev)
            {
                yield return item;
                continue;
            }

            if (ev.Cpu < 0)
            {
                continue;
            }

            ulong now = ev.TimestampNanoseconds;
            int tid = ev.ProcessId;
            if (ev.Name == _entry)
            {
                inflight[tid] = new PendingLookup
                {
                    StartNanoseconds = now,
                    ProcessId = EventFields.ProcessOf(ev),
                    ThreadId = tid,
                    Command = commands.CommandOf(ev),
                    Host = EventFields.String(ev, "host"),
                    Service = EventFields.String(ev, "service"),
                };
            }
            else if (ev.Name == _return)
            {
                if (inflight.Remove(tid, out PendingLookup? lookup))
                {
                    lookup.ReturnNanoseconds = now;
                    lookup.ReturnValue = EventFields.Int(ev, "ret");
                    waiting.Add(lookup);
                }
            }
            else if (ev.Name == _free)
            {
                // freeaddrinfo inside getaddrinfo frees the resolver's own lists.
                if (!inflight.ContainsKey(tid) && waiting.LastOrDefault(l => l.ThreadId == tid && l.ReturnValue == 0 && l.Result is null) is { } lookup)
                {
                    (lookup.Result, lookup.ResultTruncated) = Results(ev);
                }
            }
            else if (ev.Name == _connect)
            {
                if (!inflight.ContainsKey(tid) && EventFields.Long(ev, "fam") is long family
                    && SocketAddressText.Address(family, EventFields.ULong(ev, "v4") ?? 0, EventFields.ULong(ev, "lo") ?? 0, EventFields.ULong(ev, "hi") ?? 0) is string address)
                {
                    connecting[tid] = (now, EventFields.Int(ev, "fd") ?? -1, address, SocketAddressText.Port(EventFields.ULong(ev, "port") ?? 0));
                }
            }
            else if (ev.Name == "sys_exit_connect")
            {
                if (connecting.Remove(tid, out var c))
                {
                    long ret = EventFields.Long(ev, "ret") ?? 0;
                    int process = EventFields.ProcessOf(ev);
                    if (!connections.TryGetValue(process, out List<HostConnection>? list))
                    {
                        connections[process] = list = new List<HostConnection>();
                    }

                    list.Add(new HostConnection(clock.ToDateTime(c.Timestamp), c.Timestamp, tid, c.Fd, c.Address, c.Port, ret, ErrnoNames.FromReturnValue(ret)));
                }
            }
            else if (ev.Name == "sched_process_exit")
            {
                commands.Observe(ev);
                if (IsProcessExit(ev))
                {
                    int process = EventFields.ProcessOf(ev);
                    foreach (HostLookupEvent record in Flush(waiting, connections, clock, l => l.ProcessId == process))
                    {
                        yield return record;
                    }

                    connections.Remove(process);
                }
            }
            else
            {
                commands.Observe(ev);
            }

            foreach (HostLookupEvent record in Flush(waiting, connections, clock, l => l.ReturnNanoseconds + window < now))
            {
                yield return record;
            }

            Prune(connections, now, window);
        }

        foreach (PendingLookup lookup in inflight.Values)
        {
            waiting.Add(lookup);
        }

        foreach (HostLookupEvent record in Flush(waiting, connections, clock, _ => true))
        {
            yield return record;
        }
    }

    /// <summary>Writes the lookups <paramref name="due"/> selects, each with the connections to its addresses that followed it.</summary>
    private IEnumerable<HostLookupEvent> Flush(List<PendingLookup> waiting, Dictionary<int, List<HostConnection>> connections, TraceClock clock, Func<PendingLookup, bool> due)
    {
        ulong window = (ulong)_window.Ticks * 100;
        List<PendingLookup> ready = waiting.Where(due).ToList();
        foreach (PendingLookup l in ready)
        {
            waiting.Remove(l);
            ulong after = l.ReturnNanoseconds ?? l.StartNanoseconds;
            IEnumerable<HostConnection> matched = l.Result is null || !connections.TryGetValue(l.ProcessId, out List<HostConnection>? list)
                ? []
                : list.Where(c => c.TimestampNanoseconds >= after && c.TimestampNanoseconds <= after + window && l.Result.Contains(c.Address));
            yield return new HostLookupEvent(clock.ToDateTime(l.StartNanoseconds), l.StartNanoseconds, l.ProcessId, l.ThreadId, l.Command, l.Host, l.Service,
                l.ReturnNanoseconds is ulong r ? r - l.StartNanoseconds : null, l.ReturnValue, l.Result, l.ResultTruncated, matched.ToList());
        }
    }

    /// <summary>
    /// sched_process_exit of a process's last thread. group_dead is printed through an expression
    /// ("true"/"false"), which the text does not type; without it, the main thread's exit stands for the process's.
    /// </summary>
    private static bool IsProcessExit(TraceEvent ev) => ev.Fields.TryGetValue("group_dead", out object? dead)
        ? dead is true or "true" or 1L or 1UL
        : EventFields.Int(ev, "pid") is int pid && pid == EventFields.ProcessOf(ev);

    /// <summary>Connections older than any lookup still waiting could use are dropped.</summary>
    private static void Prune(Dictionary<int, List<HostConnection>> connections, ulong now, ulong window)
    {
        foreach (List<HostConnection> list in connections.Values)
        {
            if (list.Count > 64)
            {
                list.RemoveAll(c => c.TimestampNanoseconds + 2 * window < now);
            }
        }
    }

    /// <summary>The addresses of the list freeaddrinfo was given: entries until a null ai_next.</summary>
    private static (List<string> Addresses, bool Truncated) Results(TraceEvent ev)
    {
        var addresses = new List<string>();
        for (int i = 0; i < MaxResults; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            if (EventFields.Long(ev, "f" + n) is long family
                && SocketAddressText.Address(family, EventFields.ULong(ev, "v" + n) ?? 0, EventFields.ULong(ev, "l" + n) ?? 0, EventFields.ULong(ev, "h" + n) ?? 0) is string address
                && !addresses.Contains(address))
            {
                addresses.Add(address);
            }

            if (EventFields.ULong(ev, "n" + n) is not ulong next || next == 0)
            {
                return (addresses, false);
            }
        }

        return (addresses, true);
    }

    /// <summary>
    /// Per entry: the sockaddr's family and address words, and ai_next. Entries past the end of the list fault,
    /// and a faulted fixed-size fetch keeps stale bytes, so entries are read only up to the first null ai_next.
    /// </summary>
    private static IEnumerable<string> ResultArguments()
    {
        string entry = "%di";
        for (int i = 0; i < MaxResults; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            string addr = $"+{AddrOffset}({entry})";
            yield return $"f{n}=+0({addr}):u16";
            yield return $"v{n}=+4({addr}):x32";
            yield return $"l{n}=+8({addr}):x64";
            yield return $"h{n}=+16({addr}):x64";
            yield return $"n{n}=+{NextOffset}({entry}):x64";
            entry = $"+{NextOffset}({entry})";
        }
    }
}
