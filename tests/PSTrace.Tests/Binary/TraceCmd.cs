using System.Diagnostics;

namespace PSTrace.Tests.Binary;

/// <summary>Debian's trace-cmd, the reference reader the binary decoder is checked against.</summary>
internal static class TraceCmd
{
    private static readonly Lazy<string?> Executable = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(d => Path.Combine(d, "trace-cmd"))
            .FirstOrDefault(File.Exists));

    public static string? Path_ => Executable.Value;

    /// <summary>Why tests that need trace-cmd are skipped, or null when they run (always under CI=true, where a missing trace-cmd fails).</summary>
    public static string? SkipReason =>
        Executable.Value is null && Environment.GetEnvironmentVariable("CI") != "true"
            ? "trace-cmd is not installed (apt-get install trace-cmd); the comparison with it is skipped outside CI"
            : null;

    /// <summary>Runs trace-cmd and returns its standard output.</summary>
    public static string Run(params string[] arguments)
    {
        string exe = Executable.Value ?? throw new InvalidOperationException("trace-cmd is required here (CI=true) but is not installed: apt-get install trace-cmd");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"trace-cmd {string.Join(' ', arguments)} exited with {p.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}

/// <summary>A theory that needs trace-cmd: skipped with the reason when it is missing, except under CI=true.</summary>
public sealed class TraceCmdTheoryAttribute : TheoryAttribute
{
    public TraceCmdTheoryAttribute()
    {
        if (TraceCmd.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs trace-cmd: skipped with the reason when it is missing, except under CI=true.</summary>
public sealed class TraceCmdFactAttribute : FactAttribute
{
    public TraceCmdFactAttribute()
    {
        if (TraceCmd.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
