using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

/// <summary>
/// A test that uses this machine's kernel: it needs root and tracefs. Elsewhere it is skipped with
/// the reason; under CI=true it always runs, so a CI machine without them fails instead of skipping.
/// </summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public LiveFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && LiveKernel.WhyNot() is string reason)
        {
            Skip = "live kernel test: " + reason;
        }
    }
}

internal static class LiveKernel
{
    public static string? WhyNot()
    {
        if (!Prerequisites.IsRoot)
        {
            return "needs root";
        }

        try
        {
            Core.Tracefs.Tracefs.Open();
            return null;
        }
        catch (TraceException e)
        {
            return e.Message;
        }
    }

    public static Core.Tracefs.Tracefs Open() => Core.Tracefs.Tracefs.Open();
}
