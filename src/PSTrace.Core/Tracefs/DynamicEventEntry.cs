namespace PSTrace.Core.Tracefs;

/// <summary>
/// One line of a probe listing (dynamic_events, kprobe_events, uprobe_events) reduced to what
/// ownership and removal need: its group, its name, and the file it is listed in.
/// </summary>
public sealed record DynamicEventEntry(string Group, string Name, string Line, string ListingFile)
{
    public EventId Event => new(Group, Name);

    /// <summary>
    /// Reads every probe from the listing files this kernel has (dynamic_events covers both kinds when present): the one
    /// reader of those files. A line is kept whatever follows its name, so a probe of a kind no parser here knows can still
    /// be owned and removed; <see cref="Line"/> is there for a parser of the definition.
    /// An event the kernel extended with a second place is listed once per place; the first line stands for it.
    /// </summary>
    /// <param name="skipUnreadable">Pass over a listing file the kernel refuses to read (kprobe_events under lockdown)
    /// rather than throw; a missing file is always passed over.</param>
    public static IReadOnlyList<DynamicEventEntry> ReadAll(Tracefs fs, bool skipUnreadable = true)
    {
        var result = new List<DynamicEventEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] files = fs.Has("dynamic_events") ? ["dynamic_events"] : ["kprobe_events", "uprobe_events"];
        foreach (string file in files)
        {
            string path = fs.PathOf(file);
            if (!File.Exists(path))
            {
                continue;
            }

            string text;
            try
            {
                text = ControlFile.Read(path);
            }
            catch (TraceException e) when (skipUnreadable || e.Kind == TraceErrorKind.NotFound)
            {
                continue; // kprobe_events can exist yet refuse reading under lockdown.
            }

            foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (TryParse(line, path) is { } entry && seen.Add(entry.Group + "/" + entry.Name))
                {
                    result.Add(entry);
                }
            }
        }

        return result;
    }

    /// <summary>"p:group/name place args" (the kernel always lists the group).</summary>
    internal static DynamicEventEntry? TryParse(string line, string listingFile)
    {
        int colon = line.IndexOf(':');
        int space = line.IndexOf(' ');
        if (colon <= 0 || (space >= 0 && space < colon))
        {
            return null;
        }

        string id = space < 0 ? line[(colon + 1)..] : line[(colon + 1)..space];
        int slash = id.IndexOf('/');
        return slash <= 0 ? null : new DynamicEventEntry(id[..slash], id[(slash + 1)..], line, listingFile);
    }

    /// <summary>
    /// Removes the probe from the kernel. With <paramref name="force"/> it is first disabled in every
    /// buffer (the kernel refuses to delete an enabled probe with EBUSY).
    /// </summary>
    public void Remove(Tracefs fs, bool force)
    {
        if (force)
        {
            foreach (TraceBuffer b in new[] { fs.TopLevel }.Concat(fs.InstanceNames().Select(fs.Buffer)))
            {
                string enable = Path.Combine(b.EventDirectory(Group, Name), "enable");
                if (File.Exists(enable) && ControlFile.Read(enable).Trim() != "0")
                {
                    ControlFile.Write(enable, "0", append: false, b.ErrorLogPath);
                }
            }
        }

        ControlFile.Write(ListingFile, "-:" + Group + "/" + Name, append: true, fs.PathOf("error_log"));
    }
}
