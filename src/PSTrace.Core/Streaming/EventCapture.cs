using System.Globalization;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// The trace.dat capture of a live read: every page the per-CPU readers take is kept as it is, and at the
/// end the file is written with the formats of the events enabled and seen. What the file holds is then
/// counted against what was delivered, so a capture that holds more than the pipeline got says so.
/// </summary>
internal sealed class EventCapture : IDisposable
{
    private readonly TraceDatRecorder _recorder;
    private readonly HashSet<EventId> _seen = new();
    private readonly object _gate = new();

    public EventCapture(string path) => _recorder = new TraceDatRecorder(path);

    public string Path => _recorder.Path;

    /// <summary>For the readers: keeps one page of a CPU.</summary>
    public void AddPage(int cpu, byte[] page) => _recorder.AddPage(cpu, page);

    /// <summary>Notes an event read, so its format is stored even when it is no longer enabled.</summary>
    public void Note(TraceEvent ev)
    {
        if (ev.System.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            _seen.Add(new EventId(ev.System, ev.Name));
        }
    }

    /// <summary>
    /// Writes the file. <paramref name="delivered"/> is how many events the reader handed on; the events the file
    /// holds beyond it (an end marker, events read after a stop) are named in the returned text.
    /// </summary>
    /// <param name="deliveredTo">What became of the <paramref name="delivered"/> events, for the text ("went to the pipeline").</param>
    public string Complete(TraceBuffer buffer, int pageSize, long delivered, string deliveredTo)
    {
        List<EventId> events;
        lock (_gate)
        {
            events = EnabledEvents(buffer).Concat(_seen).Distinct().ToList();
        }

        var contents = TraceDatContents.FromTracefs(buffer, events, pageSize);
        _recorder.Complete(contents);
        string written = string.Create(CultureInfo.InvariantCulture, $"Wrote {_recorder.Pages} page(s) of {contents.Cpus} CPU(s) to {Path} (trace.dat version 6)");
        long held = CountEvents(Path);
        if (held < 0)
        {
            return written + ".";
        }

        string text = string.Create(CultureInfo.InvariantCulture, $"{written}: {held} event(s); {delivered} {deliveredTo}");
        return held <= delivered
            ? text + "."
            : string.Create(CultureInfo.InvariantCulture, $"{text}, the other {held - delivered} are the session's end marker, events on pages read after the end or a stop, or events of processes the session left out.");
    }

    public void Dispose() => _recorder.Dispose();

    /// <summary>The events in a written file, or -1 when it cannot be read back.</summary>
    private static long CountEvents(string path)
    {
        try
        {
            using TraceDatFile dat = TraceDatFile.Open(path);
            return dat.ReadEvents().LongCount(o => o is TraceEvent);
        }
        catch (Exception e) when (e is IOException or Binary.TraceDataException)
        {
            return -1;
        }
    }

    /// <summary>The events enabled in the buffer (its set_event), whose formats a saved file needs.</summary>
    private static List<EventId> EnabledEvents(TraceBuffer buffer)
    {
        var events = new List<EventId>();
        string text;
        try
        {
            text = buffer.Read("set_event");
        }
        catch (TraceException)
        {
            return events;
        }

        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                events.Add(EventId.Parse(line));
            }
            catch (FormatException)
            {
                // Not system:event; nothing to store a format for.
            }
        }

        return events;
    }
}
