namespace PSTrace.Core.Tracefs;

/// <summary>
/// What a session changed, newest last, each with the action that undoes it. Undo runs them all
/// in reverse, and one failure does not stop the rest: leaving less behind beats stopping early.
/// </summary>
public sealed class SessionJournal
{
    private readonly List<(string Description, Action Undo)> _entries = new();
    private readonly object _gate = new();

    public void Record(string description, Action undo)
    {
        lock (_gate)
        {
            _entries.Add((description, undo));
        }
    }

    public IReadOnlyList<string> Descriptions
    {
        get
        {
            lock (_gate)
            {
                return _entries.Select(e => e.Description).ToList();
            }
        }
    }

    /// <summary>Undoes everything; returns the failures (description and exception), empty when all went well.</summary>
    public IReadOnlyList<(string Description, Exception Error)> UndoAll()
    {
        List<(string, Action)> entries;
        lock (_gate)
        {
            entries = new List<(string, Action)>(_entries);
            _entries.Clear();
        }

        var failures = new List<(string, Exception)>();
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            (string description, Action undo) = entries[i];
            try
            {
                undo();
            }
            catch (Exception e) when (e is TraceException or IOException or UnauthorizedAccessException)
            {
                failures.Add((description, e));
            }
        }

        return failures;
    }
}
