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

    /// <summary>An existing instance by name, or the top-level buffer for null or "".</summary>
    protected TraceBuffer ResolveBuffer(string? instance) => Guard(() =>
    {
        if (string.IsNullOrEmpty(instance))
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
