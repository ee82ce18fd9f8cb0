using System.Globalization;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// The probe group a session's probes live in, "pstrace_PID", and whose it is: the one place that knows the
/// name, for the session that makes it, the reaper that finds it after a kill -9, and Remove-TraceProbe,
/// which must not take probes from a session that still runs.
/// </summary>
public static class SessionProbeGroup
{
    public const string Prefix = "pstrace_";

    /// <summary>The group of the session in process <paramref name="processId"/>.</summary>
    public static string For(int processId) => Prefix + processId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The process whose session group this is, or null for any other group.</summary>
    public static int? OwnerOf(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(group.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                ? pid
                : null;
    }

    /// <summary>
    /// The running PSTrace process, other than this one, whose session group this is; null when none (a PID
    /// now used by another process is not the owner: <see cref="SessionOwner.IsAlive"/>).
    /// </summary>
    public static int? LiveOtherOwnerOf(Tracefs fs, string group) =>
        OwnerOf(group) is int pid && pid != Environment.ProcessId && SessionOwner.IsAlive(fs, pid) ? pid : null;
}
