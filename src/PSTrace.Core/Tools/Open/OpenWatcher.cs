using System.Globalization;
using PSTrace.Core.Probes;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Open;

/// <summary>
/// Watches files being opened, like opensnoop: one <see cref="OpenEvent"/> per open, openat, creat or openat2
/// that returned, failed ones too.
/// </summary>
/// <remarks>
/// <para>The system call events give the descriptor or error, the flags and mode, but on this kernel only a
/// pointer to the file name. The name comes from uprobes on libc's open functions (open64, openat64,
/// __open_nocancel, creat64; fopen, opendir and the fortified variants go through them), which read it
/// before the call together with the pointer. The name is taken only when that pointer is the one the system
/// call then receives, so a name is never paired with another call. Opens that do not go through libc (the
/// dynamic loader loading libraries, static binaries, Go) have no Path.</para>
/// </remarks>
public sealed class OpenWatcher : TraceWatcher
{
    /// <summary>libc functions, the register holding the path, and the one holding the flags (none for creat).</summary>
    private static readonly (string Function, string Path, string? Flags)[] LibcOpens =
    [
        ("open64", "%di", "%si"),
        ("openat64", "%si", "%dx"),
        ("__open_nocancel", "%di", "%si"),
        ("creat64", "%di", null),
    ];

    /// <summary>The system calls, and the field of their enter event that points to the name.</summary>
    private static readonly (string Syscall, string NameField)[] Syscalls =
    [
        ("openat", "filename"),
        ("open", "filename"),
        ("creat", "pathname"),
        ("openat2", "filename"),
    ];

    private readonly bool _failedOnly;
    private readonly HashSet<string> _probeEvents = new(StringComparer.Ordinal);
    private TraceClock? _clock;

    public OpenWatcher(bool failedOnly = false) => _failedOnly = failedOnly;

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _clock = setup.Clock;
        var places = new List<(string Function, UserProbePoint Place, string Path, string? Flags)>();
        var missing = new List<string>();
        foreach ((string function, string path, string? flags) in LibcOpens)
        {
            if (LibcProbes.Find(function, out string? problem) is { } place)
            {
                places.Add((function, place, path, flags));
            }
            else
            {
                missing.Add($"{function} ({problem})");
            }
        }

        // The probes before the system call events, so no open is seen without the probe that reads its name.
        foreach ((string function, UserProbePoint place, string path, string? flags) in places)
        {
            var arguments = new List<string> { $"ptr={path}:x64" };
            if (flags is not null)
            {
                arguments.Add($"flags={flags}:x32");
            }

            arguments.Add($"path=+0({path}):string");
            _probeEvents.Add(setup.AddProbe(LibcProbes.Entry(place, [.. arguments]), "open_" + function.TrimStart('_'), byCommand: true).Event);
        }

        foreach (EventId ev in CommandTracker.Events)
        {
            setup.Enable(ev);
        }
        foreach ((string syscall, _) in Syscalls)
        {
            var enter = new EventId("syscalls", "sys_enter_" + syscall);
            var exit = new EventId("syscalls", "sys_exit_" + syscall);
            if (setup.HasEvent(enter) && setup.HasEvent(exit))
            {
                setup.Enable(enter, byCommand: true);
                setup.Enable(exit, _failedOnly ? "ret < 0" : null, byCommand: true);
            }
        }

        if (places.Count == 0)
        {
            setup.Warn("File names are not available: libc's open functions were not found (" + string.Join("; ", missing) + "). Path is empty.");
        }

        Backend = "tracepoints sys_enter/sys_exit of openat, open, creat and openat2; "
            + (places.Count > 0 ? $"uprobes on {string.Join(", ", places.Select(p => p.Function))} in {places[0].Place.Path} for the file names" : "no file names")
            + (setup.HasKprobes ? "" : " (this kernel has no kprobes)");
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        TraceClock clock = _clock ?? TraceClock.Unknown;
        var named = new Dictionary<int, PendingOpen>();
        var entered = new Dictionary<int, PendingOpen>();
        var commands = new CommandTracker();
        bool toldUnnamed = false;
        foreach (object item in events)
        {
            if (item is not TraceEvent ev)
            {
                yield return item;
                continue;
            }

            if (_probeEvents.Contains(ev.Name))
            {
                named[ev.ProcessId] = new PendingOpen { Pointer = EventFields.ULong(ev, "ptr") ?? 0, Name = EventFields.String(ev, "path") };
            }
            else if (ev.Name.StartsWith("sys_enter_", StringComparison.Ordinal))
            {
                string syscall = ev.Name["sys_enter_".Length..];
                ulong? pointer = EventFields.ULong(ev, syscall == "creat" ? "pathname" : "filename");
                string? path = named.Remove(ev.ProcessId, out PendingOpen? probe) && probe.Pointer == pointer ? probe.Name : null;
                entered[ev.ProcessId] = new PendingOpen
                {
                    Syscall = syscall,
                    Path = path,
                    Flags = syscall switch { "creat" => CreatFlags, "openat2" => null, _ => EventFields.Int(ev, "flags") },
                    Mode = EventFields.Int(ev, "mode"),
                    DirectoryDescriptor = syscall is "openat" or "openat2" && EventFields.Int(ev, "dfd") is int dfd && dfd != AtFdCwd ? dfd : null,
                };
            }
            else if (ev.Name.StartsWith("sys_exit_", StringComparison.Ordinal))
            {
                if (!entered.Remove(ev.ProcessId, out PendingOpen? open))
                {
                    continue; // entered before the watch started
                }

                if (open.Path is null && !toldUnnamed)
                {
                    toldUnnamed = true;
                    yield return new WatchNotice(string.Create(CultureInfo.InvariantCulture,
                        $"{commands.CommandOf(ev)} (pid {EventFields.ProcessOf(ev)}) opened a file without going through libc's open functions (the dynamic loader, a static binary, Go): such opens have no Path. This is said once."));
                }

                long ret = EventFields.Long(ev, "ret") ?? 0;
                yield return new OpenEvent(clock.ToDateTime(ev.TimestampNanoseconds), ev.TimestampNanoseconds, EventFields.ProcessOf(ev), ev.ProcessId,
                    commands.CommandOf(ev), open.Syscall!, ret, open.Flags, open.Mode, open.DirectoryDescriptor, open.Path);
            }
            else
            {
                commands.Observe(ev);
            }
        }
    }

    private const int AtFdCwd = -100;

    /// <summary>creat(2) is open with O_CREAT|O_WRONLY|O_TRUNC.</summary>
    private const int CreatFlags = 0x241;
}
