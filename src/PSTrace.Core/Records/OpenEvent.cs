using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One open of a file (open, openat, creat, openat2), failed ones too. <see cref="Path"/> is null when the
/// caller did not go through libc's open functions (the dynamic loader, static binaries): the system call's
/// own event holds only a pointer to the name.
/// </summary>
public sealed class OpenEvent : IWatchRecord
{
    public OpenEvent(DateTime? timestamp, ulong timestampNanoseconds, int processId, int threadId, string command, string syscall,
        long returnValue, int? flags, int? mode, int? directoryDescriptor, string? path)
    {
        Time = timestamp;
        TimestampNanoseconds = timestampNanoseconds;
        ProcessId = processId;
        ThreadId = threadId;
        Command = command;
        Syscall = syscall;
        ReturnValue = returnValue;
        FileDescriptor = returnValue >= 0 ? (int)returnValue : null;
        Error = ErrnoNames.FromReturnValue(returnValue);
        FlagsValue = flags;
        Flags = flags is int f ? OpenFlagsText.Format(f) : null;
        Mode = mode;
        DirectoryDescriptor = directoryDescriptor;
        Path = path;
    }

    /// <summary>
    /// The wall-clock time (local kind): the kernel's timestamp plus the offset between CLOCK_MONOTONIC and
    /// the real-time clock read when the session started, so records of several machines sort together.
    /// Null for a saved trace that does not say when its clock was zero.
    /// </summary>
    public DateTime? Time { get; }

    /// <summary>The kernel's timestamp in seconds (CLOCK_MONOTONIC, to the nanosecond): exact, and whole in Export-Csv.</summary>
    public decimal Timestamp => TimestampNanoseconds / 1_000_000_000m;

    /// <summary>The kernel's timestamp of the return (CLOCK_MONOTONIC, nanoseconds).</summary>
    public ulong TimestampNanoseconds { get; }

    public int ProcessId { get; }

    public int ThreadId { get; }

    public string Command { get; }

    /// <summary>The system call: openat, open, creat or openat2.</summary>
    public string Syscall { get; }

    /// <summary>The new descriptor, or a negative errno.</summary>
    public long ReturnValue { get; }

    /// <summary>The new file descriptor; null when the open failed.</summary>
    public int? FileDescriptor { get; }

    /// <summary>The errno name of a failed open (ENOENT, EACCES); null when it succeeded.</summary>
    public string? Error { get; }

    /// <summary>The flags by name ("O_RDONLY|O_CLOEXEC"); null for openat2, whose flags are in a structure.</summary>
    public string? Flags { get; }

    /// <summary>The flags as a number.</summary>
    public int? FlagsValue { get; }

    /// <summary>The mode for a file being created (0 otherwise).</summary>
    public int? Mode { get; }

    /// <summary>The directory descriptor a relative path is resolved against; null for the current directory (AT_FDCWD).</summary>
    public int? DirectoryDescriptor { get; }

    /// <summary>The file name as the program passed it; null when the trace could not read it.</summary>
    public string? Path { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ProcessId} {Command} {(FileDescriptor?.ToString(CultureInfo.InvariantCulture) ?? "-1")} {Error ?? "0"} {Path ?? "?"}");
}
