using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Probes;

/// <summary>
/// The kprobes and uprobes that exist in the kernel, as <see cref="TraceProbe"/> objects: listing them with
/// the buffers they are enabled in, creating one (all or nothing, optionally enabled at once), removing one.
/// Every write goes through <see cref="ControlFile"/>, so a refusal carries the kernel's error_log text.
/// </summary>
public static class ProbeEvents
{
    /// <summary>Every kprobe and uprobe the kernel lists (other dynamic events, such as synthetic ones, are left out).</summary>
    public static IReadOnlyList<TraceProbe> List(Tracefs.Tracefs fs)
    {
        IReadOnlyList<TraceBuffer> buffers = Buffers(fs);
        return ReadListing(fs).Select(e => Describe(e, buffers)).ToList();
    }

    /// <summary>The probe named group/name, or null when there is none.</summary>
    public static TraceProbe? Find(Tracefs.Tracefs fs, string group, string name)
    {
        ProbeListingEntry? entry = ReadListing(fs).FirstOrDefault(e => e.Group == group && e.Event == name);
        return entry is null ? null : Describe(entry, Buffers(fs));
    }

    /// <summary>
    /// Writes the definition to its probe file and, when <paramref name="enableIn"/> is given, enables its event
    /// there. A probe whose event the kernel refuses to enable is removed again, so nothing half-made is left.
    /// </summary>
    public static TraceProbe Create(Tracefs.Tracefs fs, ProbeDefinition definition, TraceBuffer? enableIn = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        string file = definition.Kind.ControlFile();
        if (!fs.Has(file))
        {
            throw new TraceException(TraceErrorKind.NotSupported, "ProbeFileMissing",
                $"This kernel has no {file}, so it cannot create a {definition.Kind}.", "Get-TraceCapability shows what this kernel can trace.", definition.ToString());
        }

        // The kernel does not refuse a second definition under an existing name: it adds the new place to the
        // existing event. A user who asked for a new probe would silently get a different one, so refuse.
        if (ReadListing(fs).FirstOrDefault(e => e.Group == definition.Group && e.Event == definition.Event) is { } existing)
        {
            throw new TraceException(TraceErrorKind.AlreadyExists, "ProbeExists",
                $"A probe named {definition.FullName} already exists: {existing.Line}",
                "Give the new probe another name (-Name, -Group), or remove the existing one first (Remove-TraceProbe).", definition.ToString());
        }

        ControlFile.Write(fs.PathOf(file), definition.ToString(), append: true, fs.PathOf("error_log"));
        if (enableIn is not null)
        {
            try
            {
                EventControl.Enable(enableIn, new EventId(definition.Group, definition.Event));
            }
            catch (TraceException e)
            {
                TryWrite(fs.PathOf(file), definition.Removal().ToString());
                throw new TraceException(e.Kind, "ProbeNotEnabled",
                    $"{definition.FullName} was created, but enabling it in {enableIn.DisplayName} failed, so it was removed again. {e.Message}",
                    e.Fix ?? EnableFix(definition, e), definition.ToString(), e);
            }
        }

        return Find(fs, definition.Group, definition.Event)
            ?? throw new TraceException(TraceErrorKind.NotFound, "ProbeVanished",
                $"The kernel took '{definition}' but does not list {definition.FullName}: something removed it at once.", null, definition.ToString());
    }

    /// <summary>
    /// Removes the probe. The kernel refuses (EBUSY) while its event is enabled anywhere; with
    /// <paramref name="force"/> it is first disabled in the top-level buffer and in every instance.
    /// </summary>
    public static void Remove(Tracefs.Tracefs fs, TraceProbe probe, bool force)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var removal = new ProbeRemoval(probe.Group, probe.Name);
        var ev = new EventId(probe.Group, probe.Name);
        if (force)
        {
            foreach (TraceBuffer b in Buffers(fs).Where(b => IsEnabledIn(b, ev)))
            {
                ControlFile.Write(Path.Combine(b.EventDirectory(ev.System, ev.Name), "enable"), "0", append: false, b.ErrorLogPath);
            }
        }

        string file = fs.Has("dynamic_events") ? "dynamic_events" : probe.Kind.ControlFile();
        try
        {
            ControlFile.Write(fs.PathOf(file), removal.ToString(), append: true, fs.PathOf("error_log"));
        }
        catch (KernelRejectedException e) when (e.Errno == Native.Errno.EBUSY)
        {
            string where = string.Join(", ", Buffers(fs).Where(b => IsEnabledIn(b, ev)).Select(b => b.DisplayName));
            throw new TraceException(TraceErrorKind.Busy, "ProbeBusy",
                where.Length > 0
                    ? $"The kernel refused to remove {probe.FullName} (EBUSY): its event is enabled in {where}."
                    : $"The kernel refused to remove {probe.FullName} (EBUSY): something holds its event (an open event file, perf, or a BPF program).",
                $"Use Remove-TraceProbe -Force to disable it in every buffer first, or disable it yourself (Disable-TraceEvent {probe.EventName} -Instance NAME).",
                probe.FullName, e);
        }
        catch (KernelRejectedException e) when (e.Errno == Native.Errno.ENOENT)
        {
            throw new TraceException(TraceErrorKind.NotFound, "ProbeNotFound", $"There is no probe {probe.FullName} (any more).", "Get-TraceProbe lists the probes.", probe.FullName, e);
        }
    }

    /// <summary>The probes of the listing files (read by <see cref="DynamicEventEntry.ReadAll"/>), each line parsed into its definition.</summary>
    private static IEnumerable<ProbeListingEntry> ReadListing(Tracefs.Tracefs fs)
    {
        foreach (DynamicEventEntry listed in DynamicEventEntry.ReadAll(fs, skipUnreadable: false))
        {
            ProbeListingEntry? entry;
            try
            {
                entry = ProbeListingParser.ParseLine(listed.Line);
            }
            catch (FormatException)
            {
                continue; // a dynamic event of a kind this reader does not know
            }

            if (entry is not null)
            {
                yield return entry;
            }
        }
    }

    private static TraceProbe Describe(ProbeListingEntry e, IReadOnlyList<TraceBuffer> buffers)
    {
        var ev = new EventId(e.Group, e.Event);
        var enabledIn = buffers.Where(b => IsEnabledIn(b, ev)).ToList();
        return new TraceProbe(e.Kind, e.Group, e.Event, e.Place, e.MaxActive, e.Arguments,
            enabledIn.Any(b => b.IsTopLevel), enabledIn.Where(b => !b.IsTopLevel).Select(b => b.InstanceName!).ToList(), e.Line);
    }

    private static IReadOnlyList<TraceBuffer> Buffers(Tracefs.Tracefs fs) => new[] { fs.TopLevel }.Concat(fs.InstanceNames().Select(fs.Buffer)).ToList();

    private static bool IsEnabledIn(TraceBuffer buffer, EventId ev)
    {
        try
        {
            return EventControl.IsEnabled(buffer, ev);
        }
        catch (TraceException)
        {
            return false; // the instance went away while it was being read
        }
    }

    /// <summary>The kernel checks a uprobe's offset against its file only when the probe is enabled.</summary>
    private static string? EnableFix(ProbeDefinition definition, TraceException e) =>
        e is KernelRejectedException { Errno: Native.Errno.EINVAL } && !definition.Kind.IsKernel()
            ? $"Check that offset 0x{definition.UserPoint!.Offset:x} is inside {definition.UserPoint.Path} and on an instruction (New-Uprobe -Function finds a function's offset)."
            : null;

    private static void TryWrite(string path, string text)
    {
        try
        {
            ControlFile.Write(path, text, append: true, null);
        }
        catch (TraceException)
        {
            // Best effort while already failing: the original error is the one to report.
        }
    }
}
