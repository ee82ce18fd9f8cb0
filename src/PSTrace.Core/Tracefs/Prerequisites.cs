using PSTrace.Core.Native;

namespace PSTrace.Core.Tracefs;

/// <summary>Checks and fixes, in words, for what tracing needs before it can start.</summary>
public static class Prerequisites
{
    public const string RootFix = "Run PowerShell as root (for example: sudo pwsh), or mount tracefs with a gid that includes you (mount -o remount,gid=GID /sys/kernel/tracing).";

    public static bool IsRoot => Libc.Geteuid() == 0;
}
