using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PSTrace.Module.Tests;

/// <summary>Runs a script in a fresh runspace that has the given cmdlets; returns its output and warnings.</summary>
internal static class Runspaces
{
    public static (Collection<PSObject> Output, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors) Run(
        string script, params (string Name, Type Cmdlet)[] cmdlets)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        foreach ((string name, Type type) in cmdlets)
        {
            state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
        }

        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using PowerShell ps = PowerShell.Create(runspace);
        ps.AddScript(script);
        Collection<PSObject> output = ps.Invoke();
        return (output,
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Error.Select(e => e.ToString()).ToList());
    }
}
