using System.Globalization;

namespace PSTrace.Core.Probes.Elf;

/// <summary>A function in a file, resolved to the file offset a uprobe needs.</summary>
public sealed class UprobeTarget
{
    internal UprobeTarget(string path, string pathInProcess, ElfSymbol symbol, ulong offset, bool isFixedAddressExecutable, int? processId)
    {
        Path = path;
        PathInProcess = pathInProcess;
        Symbol = symbol;
        Offset = offset;
        IsFixedAddressExecutable = isFixedAddressExecutable;
        ProcessId = processId;
    }

    /// <summary>The path to write in the definition: the real file, through /proc/PID/root when the process sees another file system.</summary>
    public string Path { get; }

    /// <summary>The path as the process sees it (the same as <see cref="Path"/> unless the process is in a container).</summary>
    public string PathInProcess { get; }

    public ElfSymbol Symbol { get; }

    /// <summary>The function's offset in the file: what goes after PATH: in the definition.</summary>
    public ulong Offset { get; }

    /// <summary>The function's virtual address as linked (st_value).</summary>
    public ulong VirtualAddress => Symbol.Value;

    /// <summary>The file is a non-PIE executable (ET_EXEC), where the offset differs from the address by the segment's base.</summary>
    public bool IsFixedAddressExecutable { get; }

    /// <summary>The process the file was found through; null when resolved from the file system.</summary>
    public int? ProcessId { get; }

    /// <summary>The place for a probe definition.</summary>
    public UserProbePoint ToProbePoint() => UserProbePoint.Create(Path, Offset);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path}:0x{Offset:x} ({Symbol.VersionedName})");
}
