using System.Management.Automation;

namespace PSTrace;

/// <summary>
/// How to start a new pwsh like the one running: the pwsh program in $PSHOME, or, where pwsh runs as a
/// framework-dependent tool (`dotnet pwsh`), the dotnet host with $PSHOME/pwsh.dll.
/// </summary>
internal static class PwshLauncher
{
    public static (string Program, IReadOnlyList<string> Arguments) For(ScriptBlock script, SessionState state)
    {
        string[] pwshArguments = ["-NoProfile", "-NonInteractive", "-Command", script.ToString()];
        string? home = state.PSVariable.GetValue("PSHOME") as string;
        if (home is not null)
        {
            string apphost = Path.Combine(home, "pwsh");
            if (File.Exists(apphost))
            {
                return (apphost, pwshArguments);
            }

            string dll = Path.Combine(home, "pwsh.dll");
            if (File.Exists(dll) && Environment.ProcessPath is { } host)
            {
                return (host, [dll, .. pwshArguments]);
            }
        }

        return ("pwsh", pwshArguments);
    }
}
