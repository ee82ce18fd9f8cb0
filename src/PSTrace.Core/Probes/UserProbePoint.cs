using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>Where a uprobe goes: an executable or library file and a byte offset in it, with an optional USDT semaphore.</summary>
public sealed class UserProbePoint
{
    private UserProbePoint(string path, ulong offset, ulong? referenceCounterOffset)
    {
        Path = path;
        Offset = offset;
        ReferenceCounterOffset = referenceCounterOffset;
    }

    /// <summary>Absolute path of the file, as the kernel opens it (symlinks are followed by the kernel).</summary>
    public string Path { get; }

    /// <summary>The probed instruction's offset in the file (not its virtual address).</summary>
    public ulong Offset { get; }

    /// <summary>File offset of a USDT semaphore the kernel increments while the probe is on; null when none.</summary>
    public ulong? ReferenceCounterOffset { get; }

    /// <summary>Validates the path's text (absolute, nothing the control file would split or cut) and builds the place.</summary>
    public static UserProbePoint Create(string path, ulong offset, ulong? referenceCounterOffset = null)
    {
        CheckPath(path);
        return new UserProbePoint(path, offset, referenceCounterOffset);
    }

    /// <summary>
    /// Throws when the kernel could not take <paramref name="path"/> in a uprobe definition: it must be absolute
    /// (the kernel needs a '/'), and the control file splits at white space, cuts at '#', and knows no quoting.
    /// </summary>
    public static void CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ProbeTextGuard.CheckField(path, "path");
        if (!path.StartsWith('/'))
        {
            throw new ProbeValidationException(ProbeErrorCode.PathNotAbsolute,
                $"The path '{path}' is not absolute; the kernel resolves a uprobe's file from '/', so give the full path.", path, 0, path.Length);
        }

        int space = path.IndexOfAny([' ', '\t']);
        if (space >= 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.PathHasSpace,
                $"The path '{path}' contains a space. The kernel splits a definition at spaces and has no quoting, so it cannot probe this file by this path; probe it through a symlink or a bind mount without spaces.",
                path, space);
        }
    }

    /// <summary>"PATH:0xOFFSET[(0xREF)]": what is written to uprobe_events.</summary>
    public override string ToString()
    {
        string s = Path + ":" + KernelNumber.Hex(Offset);
        return ReferenceCounterOffset is ulong r ? s + "(" + KernelNumber.Hex(r) + ")" : s;
    }

    /// <summary>The event name the kernel makes when a uprobe definition names none: p_BASENAME_0xOFFSET, the base name cut at its first '.', '-' or '_'.</summary>
    public string KernelDefaultEventName()
    {
        string tail = System.IO.Path.GetFileName(Path);
        int cut = tail.IndexOfAny(['.', '-', '_']);
        if (cut >= 0)
        {
            tail = tail[..cut];
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"p_{tail}_0x{Offset:x}");
        return name.Length > ProbeNames.MaxNameLength ? name[..ProbeNames.MaxNameLength] : name;
    }
}
