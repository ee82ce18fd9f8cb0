namespace PSTrace.Core.Records;

/// <summary>What a profile counted: stacks seen running on a CPU, or stacks tasks blocked in.</summary>
public enum ProfileKind
{
    /// <summary>Sampled while running (Start-TraceProfile): Count is the number of samples.</summary>
    OnCpu,

    /// <summary>Where a task was switched out until it ran again (-OffCpu): Count is how often, Time how long in all.</summary>
    OffCpu,
}

/// <summary>
/// One stack of one thread as a profile counted it: every sample (or every block) in the same thread whose kernel and
/// user stacks name the same frames is one record. Stack holds the frames innermost first (kernel frames, then user frames), as
/// perf and Export-FlameGraph take them; Weight is what a flame graph makes a frame as wide as.
/// </summary>
public sealed class ProfileStack
{
    public ProfileStack(ProfileKind kind, int processId, int threadId, string command, IReadOnlyList<StackFrame> stack, long count, TimeSpan? time)
    {
        Kind = kind;
        ProcessId = processId;
        ThreadId = threadId;
        Command = command;
        Stack = stack;
        Count = count;
        Time = time;
    }

    public ProfileKind Kind { get; }

    /// <summary>The thread group (the process).</summary>
    public int ProcessId { get; }

    public int ThreadId { get; }

    /// <summary>The thread's name (comm) when it was seen.</summary>
    public string Command { get; }

    /// <summary>The frames, innermost (the function that was running, or that blocked) first.</summary>
    public IReadOnlyList<StackFrame> Stack { get; }

    /// <summary>Samples (OnCpu), or times the thread blocked here (OffCpu).</summary>
    public long Count { get; }

    /// <summary>The time blocked here in all (OffCpu); null for OnCpu.</summary>
    public TimeSpan? Time { get; }

    /// <summary>What a flame graph weighs this stack by: the samples on CPU, the time blocked off CPU.</summary>
    public object Weight => Time is { } time ? time : Count;

    /// <summary>The innermost frame's text: the function running or blocking.</summary>
    public string Function => Stack.Count == 0 ? "" : Stack[0].ToString();

    /// <summary>The kernel frames, innermost first.</summary>
    public IReadOnlyList<StackFrame> KernelStack => Stack.Where(f => f.IsKernel).ToArray();

    /// <summary>The user-space frames, innermost first.</summary>
    public IReadOnlyList<StackFrame> UserStack => Stack.Where(f => !f.IsKernel).ToArray();

    public override string ToString() => $"{Command} ({ProcessId}/{ThreadId}) {Function} x{Count}";
}
