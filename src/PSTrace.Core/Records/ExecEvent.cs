using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One exec: a process that started a new program, or tried to and failed. What the trace could not tell
/// is null (<see cref="Arguments"/> of a program started without libc's execve, the parent of a process
/// that started before the watch and is gone), never guessed.
/// </summary>
public sealed class ExecEvent : IWatchRecord
{
    public ExecEvent(DateTime? timestamp, ulong timestampNanoseconds, string command, int processId, int threadId,
        int? parentProcessId, string? parentCommand, int returnValue, string? path, IReadOnlyList<string?>? arguments, bool argumentsTruncated)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        Command = command;
        ProcessId = processId;
        ThreadId = threadId;
        ParentProcessId = parentProcessId;
        ParentCommand = parentCommand;
        ReturnValue = returnValue;
        Error = ErrnoNames.FromReturnValue(returnValue);
        Path = path;
        Arguments = arguments?.ToArray();
        ArgumentsTruncated = argumentsTruncated;
        CommandLine = arguments is null ? null : ShellQuoting.Join(arguments) + (argumentsTruncated ? " ..." : "");
    }

    /// <summary>
    /// The wall-clock time (local kind): the kernel's timestamp plus the offset between CLOCK_MONOTONIC and
    /// the real-time clock read when the session started, so records of several machines sort together.
    /// Null for a saved trace that does not say when its clock was zero.
    /// </summary>
    public DateTime? Time { get; }

    /// <summary>The kernel's timestamp in seconds (CLOCK_MONOTONIC, to the nanosecond): exact, and whole in Export-Csv.</summary>
    public decimal Timestamp => TimestampNanoseconds / 1_000_000_000m;

    /// <summary>The kernel's timestamp (CLOCK_MONOTONIC, nanoseconds).</summary>
    public ulong TimestampNanoseconds { get; }

    /// <summary>The new program's command name (comm); for a failed exec, the caller's.</summary>
    public string Command { get; }

    public int ProcessId { get; }

    /// <summary>The thread that called exec (old_pid); the process id when the main thread did.</summary>
    public int ThreadId { get; }

    public int? ParentProcessId { get; }

    public string? ParentCommand { get; }

    /// <summary>0 for an exec that succeeded; a negative errno for one that failed.</summary>
    public int ReturnValue { get; }

    /// <summary>The errno name of a failed exec (ENOENT, EACCES); null for success.</summary>
    public string? Error { get; }

    /// <summary>The program as exec was given it (relative if the caller passed it so).</summary>
    public string? Path { get; }

    /// <summary>argv as the caller passed it; null when the trace could not read it. An element is null where its memory could not be read.</summary>
    public string?[]? Arguments { get; }

    /// <summary>True when the program had more arguments than the watch reads (-MaxArguments).</summary>
    public bool ArgumentsTruncated { get; }

    /// <summary>The arguments joined as a shell would read them back; null when unknown.</summary>
    public string? CommandLine { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Command} {ProcessId} {ParentProcessId?.ToString(CultureInfo.InvariantCulture) ?? "?"} {ReturnValue} {CommandLine ?? Path ?? ""}");
}
