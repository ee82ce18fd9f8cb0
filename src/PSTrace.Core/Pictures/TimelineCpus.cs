using System.Globalization;
using PSTrace.Core.Records;

namespace PSTrace.Core.Pictures;

/// <summary>
/// The CPUs' tracks from sched:sched_switch: each switch ends the slice of the task that ran on the CPU since the
/// one before it and starts the next task's. What ran before a CPU's first switch is not drawn (the trace does not
/// say since when); the task running at the end is drawn to the last time the trace saw.
/// </summary>
public sealed class TimelineCpus
{
    private readonly TimelineJsonWriter _writer;
    private readonly TimelineTracks _tracks;
    private readonly Dictionary<int, Running> _running = new();

    public TimelineCpus(TimelineJsonWriter writer, TimelineTracks tracks)
    {
        _writer = writer;
        _tracks = tracks;
    }

    public static bool IsSwitch(TraceEvent e) => e.Name == "sched_switch" && e.System is "sched" or "";

    /// <summary>Draws what ran on the event's CPU up to this switch; false when the event lacks the switch's fields.</summary>
    public bool Switch(TraceEvent e)
    {
        if (e.Cpu < 0 || Number(e, "next_pid") is not int nextPid || Number(e, "prev_pid") is not int prevPid)
        {
            return false;
        }

        int track = _tracks.CpuTrack(e.Cpu);
        if (_running.TryGetValue(e.Cpu, out Running? before) && e.TimestampNanoseconds >= before.StartNanoseconds)
        {
            string command = Text(e, "prev_comm") ?? before.Command;
            Draw(track, before with { Command = command, ProcessId = prevPid }, e.TimestampNanoseconds, e.Fields.GetValueOrDefault("prev_state"));
        }

        _running[e.Cpu] = new Running(e.TimestampNanoseconds, nextPid, Text(e, "next_comm") ?? "?", Number(e, "next_prio"));
        return true;
    }

    /// <summary>Ends every CPU's last slice at <paramref name="endNanoseconds"/>, the last time the trace saw.</summary>
    public void Finish(ulong endNanoseconds)
    {
        foreach ((int cpu, Running running) in _running.OrderBy(r => r.Key))
        {
            if (endNanoseconds >= running.StartNanoseconds)
            {
                Draw(_tracks.CpuTrack(cpu), running, endNanoseconds, null);
            }
        }

        _running.Clear();
    }

    private void Draw(int track, Running task, ulong endNanoseconds, object? endState)
    {
        var args = new List<KeyValuePair<string, object?>>
        {
            new("pid", task.ProcessId),
            new("prio", task.Priority),
        };
        if (endState is not null)
        {
            args.Add(new("prev_state", endState));
        }

        string name = task.ProcessId == 0 ? task.Command : string.Create(CultureInfo.InvariantCulture, $"{task.Command}-{task.ProcessId}");
        _writer.Complete(name, "sched", task.StartNanoseconds, endNanoseconds - task.StartNanoseconds, TimelineTracks.CpuProcessId, track, args);
    }

    private static int? Number(TraceEvent e, string field) => e.Fields.GetValueOrDefault(field) switch
    {
        null => null,
        string text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null,
        IConvertible number => Convert.ToInt32(number, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? Text(TraceEvent e, string field) => e.Fields.GetValueOrDefault(field) as string;

    private sealed record Running(ulong StartNanoseconds, int ProcessId, string Command, int? Priority);
}
