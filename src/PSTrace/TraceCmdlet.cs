using System.Management.Automation;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// What every PSTrace cmdlet shares: the tracefs it works on (found once, mounted if needed),
/// a cancellation token that StopProcessing (Ctrl+C, an early pipeline stop) fires, and engine
/// exceptions turned into ErrorRecords.
/// </summary>
public abstract class TraceCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private Tracefs? _fs;

    protected CancellationToken Cancellation => _cancel.Token;

    /// <summary>tracefs, located on first use; a missing tracefs or root is a terminating error with the fix.</summary>
    protected Tracefs Fs => _fs ??= Guard(() => Tracefs.Open());

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>The -Instance value that names the top-level buffer on purpose.</summary>
    public const string TopLevelInstance = "/";

    /// <summary>
    /// Refuses an empty -Instance given on the command line: it is what an unset variable becomes, and
    /// reading it as "the top-level buffer" would quietly touch the buffer every tool shares. Checked
    /// before any input, so "" bound from a piped record (an event state of the top level) still means it.
    /// </summary>
    protected override void BeginProcessing()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Instance", out object? value) && value is string text && string.IsNullOrWhiteSpace(text))
        {
            ThrowTerminatingError(ErrorRecords.Parameter("InstanceEmpty",
                "-Instance is empty (an unset variable?); it is not taken to mean the top-level buffer, which every tool shares.", text,
                $"Name an instance, or give -Instance '{TopLevelInstance}' for the top-level buffer."));
        }
    }

    /// <summary>An existing instance by name, or the top-level buffer for null (no -Instance) or "/" (or "" from a piped record).</summary>
    protected TraceBuffer ResolveBuffer(string? instance) => Guard(() =>
    {
        if (string.IsNullOrEmpty(instance) || instance == TopLevelInstance)
        {
            return Fs.TopLevel;
        }

        InstanceName.Validate(instance);
        if (!Fs.InstanceNames().Contains(instance, StringComparer.Ordinal))
        {
            throw new TraceException(TraceErrorKind.NotFound, "InstanceNotFound", $"There is no instance named '{instance}'.", "New-TraceInstance creates one; Get-TraceInstance lists them.", instance);
        }

        return Fs.Buffer(instance);
    });

    /// <summary>Runs engine code; a TraceException becomes a terminating error.</summary>
    protected T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (TraceException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            throw; // not reached: ThrowTerminatingError throws.
        }
    }

    protected void Guard(Action action) => Guard(() =>
    {
        action();
        return true;
    });

    /// <summary>Runs engine code for one item of many; a TraceException is written as an error and the loop goes on.</summary>
    protected bool TryItem(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (TraceException e)
        {
            WriteError(ErrorRecords.From(e));
            return false;
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cancel.Dispose();
        }
    }
}
