namespace PSTrace.Core.Tracefs;

/// <summary>
/// Enables and disables one event in one buffer, with its kernel filter and trigger. All or
/// nothing: when the kernel refuses the filter or the trigger, what was already set is put back.
/// </summary>
public static class EventControl
{
    public static void Enable(TraceBuffer buffer, EventId ev, string? filter = null, string? trigger = null)
    {
        string dir = RequireEventDirectory(buffer, ev);
        string previousFilter = ReadFilter(dir);
        bool filterSet = false, triggerSet = false;
        try
        {
            if (filter is not null)
            {
                // Set before writing: a refused filter still replaces the file's text with the kernel's
                // parse error (the old filter stays in force but no longer shows), so restore it either way.
                filterSet = true;
                ControlFile.Write(Path.Combine(dir, "filter"), filter, append: false, buffer.ErrorLogPath);
            }

            if (trigger is not null)
            {
                ControlFile.Write(Path.Combine(dir, "trigger"), trigger, append: true, buffer.ErrorLogPath);
                triggerSet = true;
            }

            ControlFile.Write(Path.Combine(dir, "enable"), "1", append: false, buffer.ErrorLogPath);
        }
        catch
        {
            if (triggerSet)
            {
                TryWrite(Path.Combine(dir, "trigger"), "!" + trigger, append: true);
            }

            if (filterSet)
            {
                TryWrite(Path.Combine(dir, "filter"), previousFilter.Length == 0 ? "0" : previousFilter, append: false);
            }

            throw;
        }
    }

    /// <summary>Disables the event; with <paramref name="clearFilter"/> also clears its filter and removes the given trigger.</summary>
    public static void Disable(TraceBuffer buffer, EventId ev, bool clearFilter = false, string? trigger = null)
    {
        string dir = RequireEventDirectory(buffer, ev);
        ControlFile.Write(Path.Combine(dir, "enable"), "0", append: false, buffer.ErrorLogPath);
        if (trigger is not null)
        {
            ControlFile.Write(Path.Combine(dir, "trigger"), "!" + trigger, append: true, buffer.ErrorLogPath);
        }

        if (clearFilter)
        {
            ControlFile.Write(Path.Combine(dir, "filter"), "0", append: false, buffer.ErrorLogPath);
        }
    }

    public static bool IsEnabled(TraceBuffer buffer, EventId ev)
    {
        string path = Path.Combine(buffer.EventDirectory(ev.System, ev.Name), "enable");
        return File.Exists(path) && ControlFile.Read(path).Trim() is "1" or "1*";
    }

    /// <summary>The filter text, or "" when none ("none" is what the kernel prints for no filter).</summary>
    public static string ReadFilter(string eventDirectory)
    {
        string path = Path.Combine(eventDirectory, "filter");
        if (!File.Exists(path))
        {
            return "";
        }

        string text = ControlFile.Read(path).Trim();
        return text == "none" ? "" : text;
    }

    private static string RequireEventDirectory(TraceBuffer buffer, EventId ev)
    {
        string dir = buffer.EventDirectory(ev.System, ev.Name);
        if (!Directory.Exists(dir))
        {
            throw new TraceException(TraceErrorKind.NotFound, "EventNotFound", $"There is no event {ev} in {buffer.DisplayName}.", "Get-TraceEventType lists the events this kernel has.", ev.ToString());
        }

        return dir;
    }

    private static void TryWrite(string path, string text, bool append)
    {
        try
        {
            ControlFile.Write(path, text, append, null);
        }
        catch (TraceException)
        {
            // Best effort while already failing: the original error is the one to report.
        }
    }

    /// <summary>Removes every trigger the event has, as listed in its trigger file.</summary>
    public static void RemoveTriggers(TraceBuffer buffer, EventId ev)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        foreach (string trigger in TraceEventState.Read(buffer, ev).Triggers)
        {
            buffer.Write(Path.Combine("events", ev.System, ev.Name, "trigger"), TriggerRemoval(trigger), append: true);
        }
    }

    /// <summary>
    /// What removes a trigger as its file lists it: the listing adds detail after the command
    /// ("traceoff:unlimited", "stacktrace:5 if prev_pid == 1"); the kernel removes by the command.
    /// </summary>
    internal static string TriggerRemoval(string listed) =>
        "!" + listed.Split(' ')[0].Replace(":unlimited", "", StringComparison.Ordinal);
}
