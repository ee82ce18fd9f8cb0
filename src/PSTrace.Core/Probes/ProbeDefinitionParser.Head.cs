namespace PSTrace.Core.Probes;

/// <summary>The head of a definition ("p:GROUP/EVENT", "r10"): maxactive and the group and event names.</summary>
public static partial class ProbeDefinitionParser
{
    /// <summary>"p", "r", "r10", "p:EVENT", "p:GROUP/EVENT", "p:GROUP/": the maxactive count between the letter and the ':'.</summary>
    private static int? ParseMaxActive(string head, int headStart, bool isReturn, bool kernel)
    {
        int colon = head.IndexOf(':', StringComparison.Ordinal);
        string between = colon < 0 ? head[1..] : head[1..colon];
        int? maxActive = null;
        if (between.Length > 0)
        {
            if (!char.IsAsciiDigit(between[0]))
            {
                throw At(headStart + 1, new ProbeValidationException(ProbeErrorCode.UnknownProbeType,
                    $"Unexpected '{between}' after '{head[0]}': write {head[0]}[:GROUP/EVENT]{(head[0] == 'r' ? " or r<maxactive>:GROUP/EVENT" : "")}.", between, 0, between.Length));
            }

            if (!isReturn)
            {
                throw At(headStart + 1, new ProbeValidationException(ProbeErrorCode.BadMaxactType, "maxactive ('r<N>:') is only for return probes.", between, 0, between.Length));
            }

            if (!kernel)
            {
                throw At(headStart + 1, new ProbeValidationException(ProbeErrorCode.BadMaxactType, "maxactive ('r<N>:') is only for kernel return probes, not uprobes.", between, 0, between.Length));
            }

            if (between.Length > ProbeNames.MaxNameLength || !KernelNumber.TryParseUnsigned(between, out ulong m) || m == 0 || m > uint.MaxValue)
            {
                throw At(headStart + 1, new ProbeValidationException(ProbeErrorCode.BadMaxact, $"'{between}' is not a maxactive count (a whole number of at least 1).", between, 0, between.Length));
            }

            if (m > KernelProbePoint.MaxActiveLimit)
            {
                throw At(headStart + 1, new ProbeValidationException(ProbeErrorCode.MaxactTooBig, $"maxactive {m} is too big; the kernel takes at most {KernelProbePoint.MaxActiveLimit}.", between, 0, between.Length));
            }

            maxActive = (int)m;
        }

        return maxActive;
    }

    /// <summary>The group and event after the head's ':' (traceprobe_parse_event_name); both null when there is no ':'.</summary>
    private static (string? Group, string? Event) ParseNames(string head, int headStart)
    {
        int colon = head.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (null, null);
        }

        string name = head[(colon + 1)..];
        int nameStart = headStart + colon + 1;
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            slash = name.IndexOf('.', StringComparison.Ordinal);
        }

        string? group = null;
        string ev = name;
        int evStart = nameStart;
        if (slash >= 0)
        {
            group = name[..slash];
            try
            {
                ProbeNames.CheckGroupName(group);
            }
            catch (ProbeValidationException e)
            {
                // The kernel points at the group's start for every group error.
                throw At(nameStart, new ProbeValidationException(e.Code, e.Reason, group, 0, Math.Max(1, group.Length)));
            }

            ev = name[(slash + 1)..];
            evStart = nameStart + slash + 1;
            if (ev.Length == 0)
            {
                // "p:GROUP/ place": the kernel names the event itself.
                return (group, null);
            }
        }

        try
        {
            ProbeNames.CheckEventName(ev);
        }
        catch (ProbeValidationException e)
        {
            throw At(evStart, new ProbeValidationException(e.Code, e.Reason, ev, 0, Math.Max(1, ev.Length)));
        }

        return (group, ev);
    }
}
