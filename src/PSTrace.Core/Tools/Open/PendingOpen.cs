namespace PSTrace.Core.Tools.Open;

/// <summary>An open on its way: the name a libc probe read (with the pointer it read it from), then the system call's arguments.</summary>
internal sealed class PendingOpen
{
    public ulong Pointer { get; init; }

    /// <summary>The name a probe read; null when it could not read it.</summary>
    public string? Name { get; init; }

    public string? Path { get; init; }

    public string? Syscall { get; init; }

    public int? Flags { get; init; }

    public int? Mode { get; init; }

    public int? DirectoryDescriptor { get; init; }
}
