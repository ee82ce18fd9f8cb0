using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tracers;

/// <summary>
/// Writes the control files a tracer needs. What lies outside the session's own instance (the top-level
/// buffer, kernel-wide files such as set_graph_function) is journaled in the session first, with its old
/// content, so the session's Dispose puts it back; the instance itself goes away at the end.
/// </summary>
internal sealed class TracerSettings
{
    private readonly TraceSession _session;

    public TracerSettings(TraceSession session)
    {
        _session = session;
    }

    /// <summary>Writes one value (a number, 0/1, a tracer name) to a file of a buffer.</summary>
    public void Write(TraceBuffer buffer, string file, string value)
    {
        if (Journaled(buffer, file))
        {
            string old = buffer.Read(file).Trim();
            Remember(buffer, file, old, $"{file} in {buffer.DisplayName} was '{old}'");
        }

        buffer.Write(file, value);
    }

    /// <summary>
    /// Replaces a list file (a function filter, set_ftrace_pid) with the items, one write each so a
    /// refusal names the item the kernel refused. An empty list empties the file.
    /// </summary>
    public void WriteList(TraceBuffer buffer, string file, IReadOnlyList<string> items)
    {
        if (Journaled(buffer, file))
        {
            IReadOnlyList<string> old = ParseList(buffer.Read(file));
            Remember(buffer, file, string.Join(' ', old), $"{file} in {buffer.DisplayName} held {old.Count} entries");
        }

        if (items.Count == 0)
        {
            buffer.Write(file, "");
            return;
        }

        for (int i = 0; i < items.Count; i++)
        {
            buffer.Write(file, items[i], append: i > 0);
        }
    }

    /// <summary>
    /// The entries of a filter or pid file as they can be written back: without the "####" and "no pid"
    /// placeholders, module suffixes ("name [mod]" -> "name"), or trigger commands ("name:traceoff").
    /// </summary>
    internal static IReadOnlyList<string> ParseList(string text)
    {
        var items = new List<string>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line == "no pid" || line.Contains(':'))
            {
                continue;
            }

            int space = line.IndexOfAny([' ', '\t']);
            items.Add(space > 0 ? line[..space] : line);
        }

        return items;
    }

    /// <summary>Journals the old value; outside the session's instance also on disk, so Reset-Trace can put it back after a kill -9.</summary>
    private void Remember(TraceBuffer buffer, string file, string old, string description)
    {
        void Undo() => buffer.Write(file, old);
        if (IsOwn(buffer))
        {
            _session.Change(description, () => { }, Undo);
        }
        else
        {
            _session.ChangeSetting(buffer.PathOf(file), old, description, () => { }, Undo);
        }
    }

    private bool IsOwn(TraceBuffer buffer) => ReferenceEquals(buffer, _session.Buffer) || buffer.Directory == _session.Buffer.Directory;

    // The session's own instance is removed at the end, so only what lies outside it needs undoing.
    private bool Journaled(TraceBuffer buffer, string file) => !IsOwn(buffer) || file == "current_tracer";
}
