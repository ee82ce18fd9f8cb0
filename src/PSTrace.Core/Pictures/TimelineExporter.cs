using PSTrace.Core.Records;

namespace PSTrace.Core.Pictures;

/// <summary>
/// Turns trace records into a Trace Event Format timeline (Perfetto UI, chrome://tracing, speedscope), written as
/// they come: a track per CPU with the task that ran on it (sched_switch), a track per task with its function calls
/// and watch records, other events as moments with their fields. Records are drawn where they come and not kept.
/// </summary>
public sealed class TimelineExporter : IDisposable
{
    private readonly TimelineJsonWriter _writer;
    private readonly TimelineTracks _tracks;
    private readonly TimelineCpus _cpus;
    private readonly TimelineCalls _calls;
    private readonly TimelineRecords _records;
    private ulong _lastNanoseconds;

    public TimelineExporter(Stream stream)
    {
        _writer = new TimelineJsonWriter(stream);
        _tracks = new TimelineTracks(_writer);
        _cpus = new TimelineCpus(_writer, _tracks);
        _calls = new TimelineCalls(_writer, _tracks);
        _records = new TimelineRecords(_writer, _tracks);
    }

    /// <summary>Trace Event Format events written so far (metadata included).</summary>
    public long EventsWritten => _writer.Events;

    /// <summary>Draws one record; false when it has no time (or no task), or is of a kind a timeline does not show.</summary>
    public bool Add(object record)
    {
        if (TimeOf(record) is not ulong time || time == 0)
        {
            return false;
        }

        bool drawn = record switch
        {
            TraceEvent e when TimelineCpus.IsSwitch(e) => _cpus.Switch(e) || Moment(e),
            TraceEvent e => Moment(e),
            FunctionCall call => _calls.Draw(call),
            FunctionHit hit => Hit(hit, time),
            TraceLostEvents lost => Lost(lost),
            _ => _records.Draw(record),
        };
        if (drawn)
        {
            _lastNanoseconds = Math.Max(_lastNanoseconds, EndOf(record, time));
        }

        return drawn;
    }

    /// <summary>Ends the CPUs' last slices at the last time seen and closes the JSON, so the file is whole.</summary>
    public void Finish()
    {
        _cpus.Finish(_lastNanoseconds);
        _writer.Finish();
    }

    /// <summary>Finishes the file (a stopped pipeline keeps what was drawn, as a whole file) and closes it.</summary>
    public void Dispose()
    {
        try
        {
            Finish();
        }
        finally
        {
            _writer.Dispose();
        }
    }

    /// <summary>The record's time in the trace clock (nanoseconds); null when it has none.</summary>
    public static ulong? TimeOf(object record) => record switch
    {
        TraceEvent e => e.Cpu < 0 ? null : e.TimestampNanoseconds,
        FunctionCall call => call.TimestampNanoseconds,
        FunctionHit hit => hit.TimestampNanoseconds,
        TraceLostEvents lost => lost.TimestampNanoseconds,
        SyscallEvent r => r.TimestampNanoseconds,
        BlockIoEvent r => r.TimestampNanoseconds,
        HostLookupEvent r => r.TimestampNanoseconds,
        ExecEvent r => r.TimestampNanoseconds,
        OpenEvent r => r.TimestampNanoseconds,
        ReadlineEvent r => r.TimestampNanoseconds,
        _ => null,
    };

    /// <summary>When what a record drew ends, so the CPUs' last slices reach as far as the trace does.</summary>
    private static ulong EndOf(object record, ulong time) => record switch
    {
        FunctionCall { DurationNanoseconds: long d } when d > 0 => time + (ulong)d,
        SyscallEvent { DurationNanoseconds: ulong d } => time + d,
        HostLookupEvent { LatencyNanoseconds: ulong d } => time + d,
        _ => time,
    };

    private bool Moment(TraceEvent e)
    {
        int process = e.ThreadGroupId ?? _tracks.ProcessOf(e.ProcessId);
        _tracks.Use(process, e.ProcessId, e.Command);
        _writer.Instant(e.FullName, e.System.Length == 0 ? "event" : e.System, e.TimestampNanoseconds, process, e.ProcessId,
            e.Fields.Count > 0 ? e.Fields : [new("body", e.Body)]);
        return true;
    }

    private bool Hit(FunctionHit hit, ulong time)
    {
        int process = hit.ThreadGroupId ?? _tracks.ProcessOf(hit.ProcessId);
        _tracks.Use(process, hit.ProcessId, hit.Command);
        _writer.Instant(hit.Function, "function", time, process, hit.ProcessId, [new("caller", hit.Parent), new("cpu", hit.Cpu)]);
        return true;
    }

    private bool Lost(TraceLostEvents lost)
    {
        string count = lost.Count is long n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " : "";
        _writer.Instant($"lost {count}events", "lost", lost.TimestampNanoseconds, TimelineTracks.CpuProcessId,
            lost.Cpu >= 0 ? _tracks.CpuTrack(lost.Cpu) : TimelineTracks.CpuProcessId, [new("cpu", lost.Cpu), new("count", lost.Count)], global: true);
        return true;
    }
}
