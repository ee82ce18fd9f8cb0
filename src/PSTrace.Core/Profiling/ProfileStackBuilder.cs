using PSTrace.Core.Records;

namespace PSTrace.Core.Profiling;

/// <summary>
/// Turns a profile's counts, their stacks named, into records: counts whose stacks name the same functions in the
/// same thread are one record (the kernel counts by address, so one loop is many stacks that differ only in where
/// inside its functions a sample fell), and the frames of the BPF program that took an off-CPU stack are left out.
/// </summary>
public sealed class ProfileStackBuilder
{
    // What the kernel runs between sched_switch and the program taking the stack: not where the task blocked.
    private static readonly string[] ProbeFramePrefixes = ["bpf_prog_", "bpf_trace_run", "__traceiter_", "__bpf_trace_"];

    private readonly ProfileKind _kind;
    private readonly Dictionary<string, (StackCount First, IReadOnlyList<StackFrame> Frames, long Count, long Nanoseconds)> _merged = new(StringComparer.Ordinal);

    public ProfileStackBuilder(ProfileKind kind) => _kind = kind;

    /// <summary>Adds one count with its frames, innermost first.</summary>
    public void Add(StackCount count, IReadOnlyList<StackFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(count);
        ArgumentNullException.ThrowIfNull(frames);
        IReadOnlyList<StackFrame> kept = _kind == ProfileKind.OffCpu ? WithoutProbeFrames(frames) : frames;
        string key = $"{count.ProcessId}/{count.ThreadId}/{count.Command}/{string.Join(';', kept)}";
        _merged[key] = _merged.TryGetValue(key, out var seen)
            ? (seen.First, seen.Frames, seen.Count + count.Count, seen.Nanoseconds + count.Nanoseconds)
            : (count, kept, count.Count, count.Nanoseconds);
    }

    /// <summary>The records, the longest time (off CPU) or the most samples first.</summary>
    public IReadOnlyList<ProfileStack> Build() =>
        _merged.Values
            .Select(m => new ProfileStack(_kind, m.First.ProcessId, m.First.ThreadId, m.First.Command, m.Frames, m.Count,
                _kind == ProfileKind.OffCpu ? TimeSpan.FromTicks(m.Nanoseconds / 100) : null))
            .OrderByDescending(r => r.Time ?? TimeSpan.Zero)
            .ThenByDescending(r => r.Count)
            .ThenBy(r => r.ProcessId)
            .ThenBy(r => r.ThreadId)
            .ToList();

    /// <summary>The frames from the first one that is not the tracepoint's or the BPF program's own.</summary>
    internal static IReadOnlyList<StackFrame> WithoutProbeFrames(IReadOnlyList<StackFrame> frames)
    {
        int first = 0;
        while (first < frames.Count && frames[first].IsKernel && frames[first].Function is { } name
            && ProbeFramePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        {
            first++;
        }

        return first == 0 ? frames : frames.Skip(first).ToArray();
    }
}
