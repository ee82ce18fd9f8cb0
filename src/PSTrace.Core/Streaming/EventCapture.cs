using System.Globalization;
using PSTrace.Core.Binary;
using PSTrace.Core.Binary.TraceDat;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// The trace.dat capture of a live read: every page the per-CPU readers take is kept (partly filled ones
/// packed together), and at the end the file is written with the formats of the events enabled and seen. What the file holds is then
/// counted against what was delivered, so a capture that holds more than the pipeline got says so.
/// </summary>
internal sealed class EventCapture : IDisposable
{
    private readonly TraceDatRecorder _recorder;
    private readonly HashSet<EventId> _seen = new();
    private readonly object _gate = new();

    /// <param name="layout">The live buffer's page layout: partly filled pages are packed together.</param>
    public EventCapture(string path, RingBufferLayout layout) => _recorder = new TraceDatRecorder(path, layout);

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
    /// Writes the file. With <paramref name="keepThrough"/>, pages are first cut after the last record at or before
    /// it (the last event delivered, or just before the session's end marker), so the file ends where the pipeline
    /// did. <paramref name="delivered"/> is how many events the reader handed on; events the file still holds
    /// beyond it are counted in the returned text.
    /// </summary>
    /// <param name="deliveredTo">What became of the <paramref name="delivered"/> events, for the text ("went to the pipeline").</param>
    /// <param name="clockEpochNanoseconds">When the trace clock was zero, kept in the file for -Path's wall-clock Time.</param>
    public string Complete(TraceBuffer buffer, RingBufferLayout layout, long delivered, string deliveredTo, ulong? keepThrough, long? clockEpochNanoseconds)
    {
        List<EventId> events;
        lock (_gate)
        {
            events = EnabledEvents(buffer).Concat(_seen).Distinct().ToList();
        }

        int cut = keepThrough is { } end ? _recorder.KeepThrough(end, layout) : 0;
        var contents = TraceDatContents.FromTracefs(buffer, events, layout.PageSize, clockEpochNanoseconds: clockEpochNanoseconds);
        _recorder.Complete(contents);
        string written = string.Create(CultureInfo.InvariantCulture, $"Wrote {_recorder.Pages} page(s) of {contents.Cpus} CPU(s) to {Path} (trace.dat version 6)");
        if (cut > 0)
        {
            written += string.Create(CultureInfo.InvariantCulture, $", {cut} page(s) cut or left out at the end of what was delivered");
        }

        long held = CountEvents(Path);
        if (held < 0)
        {
            return written + ".";
        }

        string text = string.Create(CultureInfo.InvariantCulture, $"{written}: {held} event(s); {delivered} {deliveredTo}");
        return held <= delivered
            ? text + "."
            : string.Create(CultureInfo.InvariantCulture, $"{text}, the other {held - delivered} are the session's heartbeat markers or events of processes it left out.");
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
