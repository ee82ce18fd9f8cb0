namespace PSTrace.Tests.Probes;

/// <summary>
/// A fact that needs something of the machine. Skipped with the reason when it is missing on a developer's
/// machine; under CI=true it runs anyway and fails, so a bare CI machine cannot pass by skipping.
/// </summary>
public abstract class NeedsFactAttribute : FactAttribute
{
    protected NeedsFactAttribute(string? missingReason)
    {
        if (missingReason is not null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = missingReason;
        }
    }
}

/// <summary>Needs gcc, to build the PIE and non-PIE test programs.</summary>
public sealed class NeedsGccFactAttribute : NeedsFactAttribute
{
    public NeedsGccFactAttribute()
        : base(ToolRunner.Exists("gcc") ? null : TestPrograms.MissingReason)
    {
    }
}

/// <summary>Needs root, tracefs at /sys/kernel/tracing with uprobe_events, and gcc for the probed program.</summary>
public sealed class NeedsUprobesFactAttribute : NeedsFactAttribute
{
    public NeedsUprobesFactAttribute()
        : base(Reason())
    {
    }

    internal static string? Reason() =>
        Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root" && !IsRoot() ? "needs root (uprobe_events is root-only)"
        : !File.Exists("/sys/kernel/tracing/uprobe_events") ? "needs tracefs at /sys/kernel/tracing with uprobe_events (mount -t tracefs nodev /sys/kernel/tracing)"
        : !ToolRunner.Exists("gcc") ? TestPrograms.MissingReason
        : null;

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
