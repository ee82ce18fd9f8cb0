using System.Globalization;
using System.Management.Automation;

namespace PSTrace;

/// <summary>
/// The progress bar of a live command with -Duration (time left, records written and events lost so far), or
/// of reading a large saved file (bytes read of its size, records written).
/// It is shown only where someone watches a console (as PowerShell's own cmdlets are quiet in scripts
/// whose output is redirected), at most four times a second, and always closed at the end.
/// </summary>
internal sealed class LiveProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // A file read in less than this shows no bar: it would only flicker.
    private static readonly TimeSpan FileQuietTime = TimeSpan.FromSeconds(1);

    private readonly Cmdlet _cmdlet;
    private readonly TimeSpan _duration;
    private readonly Func<(long Done, long Total)?>? _fileBytes;
    private readonly DateTime _start = DateTime.UtcNow;
    private readonly ProgressRecord _record;
    private DateTime _next;
    private bool _shown;

    private LiveProgress(Cmdlet cmdlet, TimeSpan duration, string activity, Func<(long Done, long Total)?>? fileBytes = null)
    {
        _cmdlet = cmdlet;
        _duration = duration;
        _fileBytes = fileBytes;
        _record = new ProgressRecord(0x5054, activity, "Starting");
        _next = fileBytes is null ? default : _start + FileQuietTime;
    }

    /// <summary>A progress bar for a countdown of <paramref name="duration"/>; null without one or without a watching person.</summary>
    public static LiveProgress? For(Cmdlet cmdlet, TimeSpan duration) =>
        duration > TimeSpan.Zero && cmdlet is PSCmdlet ps && IsInteractive(ps)
            ? new LiveProgress(cmdlet, duration, ps.MyInvocation.MyCommand.Name + ": tracing for " + duration.ToString("c", CultureInfo.InvariantCulture))
            : null;

    /// <summary>
    /// A progress bar for reading a saved file: bytes read of the file's size, and records written. It shows once
    /// reading has taken a second (a small file never shows one); null without a watching person, or for a pipe,
    /// whose size is unknown. (A trace.dat knows its size only once reading starts, so that is not asked here.)
    /// </summary>
    public static LiveProgress? ForFile(Cmdlet cmdlet, string file, Func<(long Done, long Total)?> bytes) =>
        cmdlet is PSCmdlet ps && IsInteractive(ps) && bytes() is not null
            ? new LiveProgress(cmdlet, TimeSpan.Zero, ps.MyInvocation.MyCommand.Name + ": reading " + file, bytes)
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
        if (_fileBytes is not null)
        {
            UpdateFile(written);
            return;
        }

        TimeSpan elapsed = now - _start;
        TimeSpan left = elapsed >= _duration ? TimeSpan.Zero : _duration - elapsed;
        _record.PercentComplete = (int)Math.Clamp(elapsed.TotalMilliseconds * 100 / _duration.TotalMilliseconds, 0, 100);
        _record.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
        _record.StatusDescription = string.Create(CultureInfo.InvariantCulture, $"{written} record(s) so far, {lost} lost");
        _record.RecordType = ProgressRecordType.Processing;
        _cmdlet.WriteProgress(_record);
        _shown = true;
    }

    private void UpdateFile(long written)
    {
        if (_fileBytes!() is not { Total: > 0 } bytes)
        {
            return;
        }

        _record.PercentComplete = (int)Math.Clamp(bytes.Done * 100 / bytes.Total, 0, 100);
        _record.StatusDescription = string.Create(CultureInfo.InvariantCulture, $"{bytes.Done / (1 << 20)} of {bytes.Total / (1 << 20)} MiB, {written} record(s)");
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
