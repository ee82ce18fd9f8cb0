using System.Diagnostics;
using PSTrace.Core.Binary;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Streaming;

/// <summary>
/// The kernel's comm and tgid caches (saved_cmdlines, saved_tgids) for a live binary reader, read again
/// as the trace goes on. Binary records carry only the pid; the kernel saves a task's comm when the
/// task is switched out after recording an event, so a comm can appear a moment after its event.
/// </summary>
/// <remarks>
/// Reading saved_cmdlines costs milliseconds (the kernel formats thousands of entries), so it is read
/// again only when the copy is older than the record being named and <see cref="MinimumAge"/> has
/// passed; a pid the copy lacks makes the reader wait until <see cref="Settle"/> after the record was
/// read and look once more, which is when the kernel has normally saved it.
/// </remarks>
internal sealed class LiveTaskNames
{
    private readonly Func<TaskNames> _load;
    private readonly Func<long> _clock;
    private bool _loaded;

    public LiveTaskNames(Func<TaskNames> load, TimeSpan minimumAge, TimeSpan settle, Func<long>? clock = null)
    {
        _load = load;
        _clock = clock ?? Stopwatch.GetTimestamp;
        MinimumAge = (long)(minimumAge.TotalSeconds * Stopwatch.Frequency);
        Settle = (long)(settle.TotalSeconds * Stopwatch.Frequency);
        Current = TaskNames.Empty;
        TakenTicks = long.MinValue;
    }

    /// <summary>Names from a tracefs root: saved_cmdlines and, when it exists, saved_tgids.</summary>
    public static LiveTaskNames ForTracefs(string tracefsRoot) => new(() => Read(tracefsRoot), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50));

    /// <summary>Fixed names that are never read again (tests, saved captures).</summary>
    public static LiveTaskNames Fixed(TaskNames names) => new(() => names, TimeSpan.Zero, TimeSpan.Zero) { Current = names, TakenTicks = long.MaxValue, _loaded = true };

    /// <summary>Stopwatch ticks between two reads, at least.</summary>
    public long MinimumAge { get; }

    /// <summary>Stopwatch ticks after a record's read by which the kernel has normally saved its task's comm.</summary>
    public long Settle { get; }

    public TaskNames Current { get; private set; }

    /// <summary>When <see cref="Current"/> was read (Stopwatch ticks).</summary>
    public long TakenTicks { get; private set; }

    /// <summary>How many times the caches were read.</summary>
    public int Reads { get; private set; }

    /// <summary>Names fresh enough for a record read at <paramref name="readTicks"/>.</summary>
    public TaskNames For(long readTicks)
    {
        long now = _clock();
        if (!_loaded || (TakenTicks < readTicks && now - TakenTicks >= MinimumAge))
        {
            Reload(now);
        }

        return Current;
    }

    /// <summary>
    /// For a pid the names lack: how long to wait (Stopwatch ticks, 0 for none) before <see cref="Retry"/>,
    /// or -1 when the names were read late enough that the kernel never saved it.
    /// </summary>
    public long WaitBeforeRetry(long readTicks)
    {
        long due = readTicks + Settle;
        return TakenTicks >= due ? -1 : Math.Max(0, due - _clock());
    }

    /// <summary>Reads the caches again now.</summary>
    public TaskNames Retry()
    {
        Reload(_clock());
        return Current;
    }

    private void Reload(long now)
    {
        Current = _load();
        TakenTicks = now;
        _loaded = true;
        Reads++;
    }

    private static TaskNames Read(string root)
    {
        string cmdlines = TryRead(Path.Combine(root, "saved_cmdlines")) ?? "";
        return TaskNames.Parse(cmdlines, TryRead(Path.Combine(root, "saved_tgids")));
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? ControlFile.Read(path) : null;
        }
        catch (TraceException)
        {
            return null;
        }
    }
}
