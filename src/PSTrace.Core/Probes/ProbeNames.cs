namespace PSTrace.Core.Probes;

/// <summary>
/// The kernel's rules for group, event and argument names (kernel/trace/trace.h is_good_name and
/// is_good_system_name; trace_probe.c traceprobe_parse_event_name; trace_probe.h limits).
/// </summary>
public static class ProbeNames
{
    /// <summary>MAX_EVENT_NAME_LEN: the kernel's buffer for a group or an event name, including the terminating NUL.</summary>
    public const int MaxEventNameBuffer = 64;

    /// <summary>Longest event or group name the kernel accepts (the buffer less its NUL).</summary>
    public const int MaxNameLength = MaxEventNameBuffer - 1;

    /// <summary>MAX_ARG_NAME_LEN.</summary>
    public const int MaxArgumentNameLength = 32;

    /// <summary>MAX_TRACE_ARGS.</summary>
    public const int MaxArguments = 128;

    /// <summary>Field names every probe event already has; an argument may not take them (reserved_field_names in trace_probe.c).</summary>
    public static IReadOnlyList<string> ReservedArgumentNames { get; } =
    [
        "common_type", "common_flags", "common_preempt_count", "common_pid", "common_tgid",
        "__probe_ip", "__probe_ret_ip", "__probe_func",
    ];

    /// <summary>C identifier: [A-Za-z_][A-Za-z0-9_]*. Event and argument names.</summary>
    public static bool IsGoodName(string name) => IsGood(name, allowHyphen: false);

    /// <summary>Like <see cref="IsGoodName"/> but '-' is allowed too: group (system) names.</summary>
    public static bool IsGoodGroupName(string name) => IsGood(name, allowHyphen: true);

    /// <summary>Throws when <paramref name="eventName"/> cannot name a probe event.</summary>
    public static void CheckEventName(string eventName)
    {
        if (eventName.Length == 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.NoEventName, "The event name is empty.", eventName, 0);
        }

        if (eventName.Length > MaxNameLength)
        {
            throw new ProbeValidationException(ProbeErrorCode.EventTooLong,
                $"The event name is {eventName.Length} characters long; the kernel takes at most {MaxNameLength}.", eventName, MaxNameLength, eventName.Length - MaxNameLength);
        }

        int bad = FirstBad(eventName, allowHyphen: false);
        if (bad >= 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.BadEventName,
                $"The event name '{eventName}' must be a C identifier (letters, digits and '_', not starting with a digit); '{eventName[bad]}' is not allowed.", eventName, bad);
        }
    }

    /// <summary>Throws when <paramref name="group"/> cannot name a probe group (a tracefs events/ directory).</summary>
    public static void CheckGroupName(string group)
    {
        if (group.Length == 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.NoGroupName, "The group name is empty.", group, 0);
        }

        if (group.Length > MaxNameLength)
        {
            throw new ProbeValidationException(ProbeErrorCode.GroupTooLong,
                $"The group name is {group.Length} characters long; the kernel takes at most {MaxNameLength}.", group, MaxNameLength, group.Length - MaxNameLength);
        }

        int bad = FirstBad(group, allowHyphen: true);
        if (bad >= 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.BadGroupName,
                $"The group name '{group}' may hold only letters, digits, '_' and '-', and must not start with a digit; '{group[bad]}' is not allowed.", group, bad);
        }
    }

    private static bool IsGood(string name, bool allowHyphen) => name.Length > 0 && FirstBad(name, allowHyphen) < 0;

    private static int FirstBad(string name, bool allowHyphen)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetter(c) || c == '_' || (allowHyphen && c == '-') || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                return i;
            }
        }

        return -1;
    }
}
