using PSTrace.Core.Native;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// Finds tracefs instead of assuming it: /sys/kernel/tracing, then the debugfs path, then any
/// tracefs in /proc/mounts; mounts it at /sys/kernel/tracing when absent and running as root.
/// </summary>
public static class TracefsLocator
{
    public const string DefaultPath = "/sys/kernel/tracing";
    public const string DebugfsPath = "/sys/kernel/debug/tracing";

    /// <summary>Overrides the search with a directory (tests use a fake tracefs for error paths).</summary>
    public const string OverrideVariable = "PSTRACE_TRACEFS";

    /// <summary>Returns the tracefs root, mounting it if needed and allowed.</summary>
    public static string Locate(bool mount = true)
    {
        string? overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            if (!Directory.Exists(overridden))
            {
                throw new TraceException(TraceErrorKind.TracefsMissing, "TracefsMissing",
                    $"{OverrideVariable} names {overridden}, which is not a directory.", $"Unset {OverrideVariable} or point it at a tracefs mount.", overridden);
            }

            return overridden;
        }

        if (Find() is string found)
        {
            return found;
        }

        // Mounted but not readable (its directory is root's alone): say so, whether or not a mount was asked for.
        if (!Prerequisites.IsRoot && MountPointsOf("tracefs").FirstOrDefault() is string mounted)
        {
            throw new TraceException(TraceErrorKind.PermissionDenied, "NotRoot",
                $"tracefs is mounted at {mounted}, but this user (uid {Libc.Geteuid()}) cannot read it: its files are root's. Tracing needs root, or a tracefs mounted for a group this user is in.",
                Prerequisites.RootFix, mounted);
        }

        if (!Prerequisites.IsRoot)
        {
            throw new TraceException(TraceErrorKind.PermissionDenied, "NotRoot",
                "tracefs is not mounted, and mounting it needs root.",
                "Run PowerShell as root (sudo pwsh), or mount it once: sudo mount -t tracefs nodev " + DefaultPath, DefaultPath);
        }

        if (!mount)
        {
            throw Missing(null);
        }

        try
        {
            Libc.Mount("nodev", DefaultPath, "tracefs");
        }
        catch (NativeException e)
        {
            throw Missing(e);
        }

        return Find() ?? throw Missing(null);
    }

    /// <summary>The mounted tracefs root, or null; never mounts.</summary>
    public static string? Find()
    {
        foreach (string candidate in new[] { DefaultPath, DebugfsPath })
        {
            if (IsTracefs(candidate))
            {
                return candidate;
            }
        }

        foreach (string mountPoint in MountPointsOf("tracefs"))
        {
            if (IsTracefs(mountPoint))
            {
                return mountPoint;
            }
        }

        return null;
    }

    /// <summary>A mounted tracefs has a README and a trace file; the bare mount point has neither.</summary>
    private static bool IsTracefs(string dir) => File.Exists(Path.Combine(dir, "trace")) && File.Exists(Path.Combine(dir, "README"));

    private static IEnumerable<string> MountPointsOf(string fsType)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/mounts");
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (string line in text.Split('\n'))
        {
            string[] parts = line.Split(' ');
            if (parts.Length > 2 && parts[2] == fsType)
            {
                // /proc/mounts escapes spaces as \040.
                yield return parts[1].Replace("\\040", " ", StringComparison.Ordinal);
            }
        }
    }

    private static TraceException Missing(Exception? inner) => new(TraceErrorKind.TracefsMissing, "TracefsMissing",
        "tracefs is not mounted and could not be mounted" + (inner is null ? "." : ": " + inner.Message),
        "Mount it: mount -t tracefs nodev " + DefaultPath + " (the kernel needs CONFIG_TRACING). In a container, mount it from the host or run privileged.",
        DefaultPath, inner);
}
