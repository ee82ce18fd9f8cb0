using System.Globalization;
using System.Management.Automation;

namespace PSTrace;

/// <summary>
/// The progress bar of a live command with -Duration: time left, records written and events lost so far.
/// It is shown only where someone watches a console (as PowerShell's own cmdlets are quiet in scripts
/// whose output is redirected), at most four times a second, and always closed at the end.
/// </summary>
internal sealed class LiveProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Cmdlet _cmdlet;
    private readonly TimeSpan _duration;
    private readonly DateTime _start = DateTime.UtcNow;
    private readonly ProgressRecord _record;
    private DateTime _next;
    private bool _shown;

    private LiveProgress(Cmdlet cmdlet, TimeSpan duration, string activity)
    {
        _cmdlet = cmdlet;
        _duration = duration;
        _record = new ProgressRecord(0x5054, activity, "Starting");
    }

    /// <summary>A progress bar for a countdown of <paramref name="duration"/>; null without one or without a watching person.</summary>
    public static LiveProgress? For(Cmdlet cmdlet, TimeSpan duration) =>
        duration > TimeSpan.Zero && cmdlet is PSCmdlet ps && IsInteractive(ps)
            ? new LiveProgress(cmdlet, duration, ps.MyInvocation.MyCommand.Name + ": tracing for " + duration.ToString("c", CultureInfo.InvariantCulture))
            : null;

    /// <summary>Updates the bar if a quarter second has passed since the last update.</summary>
    public void Update(long written, long lost)
    {
        DateTime now = DateTime.UtcNow;
        if (now < _next)
        {
            return;
        }

        _next = now + Interval;
        TimeSpan elapsed = now - _start;
        TimeSpan left = elapsed >= _duration ? TimeSpan.Zero : _duration - elapsed;
        _record.PercentComplete = (int)Math.Clamp(elapsed.TotalMilliseconds * 100 / _duration.TotalMilliseconds, 0, 100);
        _record.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
        _record.StatusDescription = string.Create(CultureInfo.InvariantCulture, $"{written} record(s) so far, {lost} lost");
        _record.RecordType = ProgressRecordType.Processing;
        _cmdlet.WriteProgress(_record);
        _shown = true;
    }

    /// <summary>Removes the bar (only ever from the pipeline thread, like every other write).</summary>
    public void Complete()
    {
        if (!_shown)
        {
            return;
        }

        _record.RecordType = ProgressRecordType.Completed;
        try
        {
            _cmdlet.WriteProgress(_record);
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C or an early stop: the host takes the bar down with the pipeline.
        }
    }

    /// <summary>A person at a console: a host with a window, and a terminal on both ends of the process.</summary>
    internal static bool IsInteractive(PSCmdlet cmdlet) =>
        cmdlet.Host?.UI?.RawUI is not null && Environment.UserInteractive && !Console.IsInputRedirected && !Console.IsOutputRedirected;
}
