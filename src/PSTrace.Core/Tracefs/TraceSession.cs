using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// A tracing session: its own instance (instances/pstrace-PID-N), a probe group named after this
/// process (pstrace_PID), and a journal of every change it made outside that instance. Dispose puts
/// everything back and removes the instance; so does process exit. What a kill -9 leaves,
/// <see cref="SessionReaper"/> removes later.
/// </summary>
public sealed class TraceSession : IDisposable
{
    private static int s_sequence;
    private static readonly ConcurrentDictionary<TraceSession, byte> s_live = new();
    private readonly SessionJournal _journal = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ManualResetEventSlim _closed = new();
    private int _disposed;
    private bool _keepsSettings;

    // Kept alive for the life of the process: disposing a registration unregisters it.
    private static readonly PosixSignalRegistration[] s_signals;

    static TraceSession()
    {
        // pwsh exiting (or the host unloading) must not leave a session's instance behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUpBeforeExit();

        // Nor must `kill`, `timeout`, a systemd stop (SIGTERM) or a closed terminal (SIGHUP): clean up,
        // then let the signal do what it would have done. Only SIGKILL is left to the reaper.
        s_signals = new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => CleanUpBeforeExit()))
            .ToArray();
    }

    private static void CleanUpBeforeExit()
    {
        DisposeAll();
        SessionOwner.ForgetThisProcess();
    }

    private TraceSession(Tracefs fs, TraceBuffer buffer)
    {
        Fs = fs;
        Buffer = buffer;
        s_live.TryAdd(this, 0);
    }

    public Tracefs Fs { get; }

    /// <summary>The session's private instance.</summary>
    public TraceBuffer Buffer { get; }

    public string Name => Buffer.InstanceName!;

    /// <summary>The group for probes this session creates: it names the owning process, so a reaper can tell whose they are.</summary>
    public static string ProbeGroup { get; } = SessionProbeGroup.For(Environment.ProcessId);

    public IReadOnlyList<string> Changes => _journal.Descriptions;

    /// <summary>
    /// Fires when the session starts to close (Dispose, a signal, process exit). Readers of the
    /// session's pipes must stop on it: the kernel will not remove an instance while a pipe is open.
    /// </summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Problems met while cleaning up, for the caller to report as warnings.</summary>
    public IReadOnlyList<string> CleanupFailures { get; private set; } = Array.Empty<string>();

    /// <summary>Reaps what dead sessions left, then creates this session's instance.</summary>
    public static TraceSession Start(Tracefs fs, bool reapOrphans = true)
    {
        if (reapOrphans)
        {
            SessionReaper.Reap(fs, SessionReaper.FindOrphans(fs));
        }

        // After the reaping: a record left by an earlier process of this PID was reaped with its leftovers.
        SessionOwner.RecordThisProcess(fs);

        string name = Core.Tracefs.InstanceName.ForSession(Environment.ProcessId, Interlocked.Increment(ref s_sequence));
        TraceBuffer buffer = Instances.Create(fs, name);
        return new TraceSession(fs, buffer);
    }

    /// <summary>Enables an event in the session's instance with an optional filter and trigger.</summary>
    public void EnableEvent(EventId ev, string? filter = null, string? trigger = null)
    {
        EventControl.Enable(Buffer, ev, filter, trigger);
        _journal.Record($"enabled {ev} in {Name}", () => EventControl.Disable(Buffer, ev, clearFilter: filter is not null, trigger: trigger));
    }

    /// <summary>Sets an option (options/NAME) of the session's instance.</summary>
    public void SetOption(string option, bool on)
    {
        Core.Tracefs.InstanceName.Validate(option);
        Buffer.Write(Path.Combine("options", option), on ? "1" : "0");
    }

    /// <summary>Writes a file of the session's instance; the instance goes away at the end, so there is nothing to restore.</summary>
    public void WriteInstanceFile(string relative, string text) => Buffer.Write(relative, text);

    /// <summary>
    /// Changes a file outside the session's instance (a probe file, a top-level setting) and records
    /// how to undo it. <paramref name="undo"/> runs at Dispose, newest change first.
    /// </summary>
    public void Change(string description, Action apply, Action undo)
    {
        apply();
        _journal.Record(description, undo);
    }

    /// <summary>
    /// Changes a control file outside the session's instance and records its old value: on disk first
    /// (<see cref="SettingsBackup"/>, for a process killed before it can clean up), then in the journal.
    /// </summary>
    public void ChangeSetting(string path, string oldValue, string description, Action apply, Action undo)
    {
        SettingsBackup.Append(Fs, Name, path, oldValue);
        _keepsSettings = true;
        Change(description, apply, undo);
    }

    /// <summary>How long a second Dispose waits for the first to finish cleaning up.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Puts everything back. When a signal handler is already doing that on another thread, waits for it:
    /// otherwise the cmdlet would return, the process exit, and the cleanup (a probe per write) stop halfway.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            _closed.Wait(CloseWait);
            return;
        }

        try
        {
            s_live.TryRemove(this, out _);
            _closing.Cancel();
            var failures = _journal.UndoAll().Select(f => $"{f.Description}: {f.Error.Message}").ToList();
            if (_keepsSettings)
            {
                // The journal has put them back, or said which it could not: the copy on disk is done with.
                DeleteSettingsBackup(failures);
            }

            try
            {
                RemoveInstance();
            }
            catch (TraceException e)
            {
                failures.Add(e.Message);
            }

            CleanupFailures = failures;
        }
        finally
        {
            _closed.Set();
        }
    }

    private void DeleteSettingsBackup(List<string> failures)
    {
        try
        {
            SettingsBackup.Delete(Fs, Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{SettingsBackup.PathFor(Fs, Name)}: {e.Message}");
        }
    }

    private void RemoveInstance()
    {
        if (Directory.Exists(Buffer.Directory))
        {
            Instances.Remove(Fs, Name);
        }
    }

    private static void DisposeAll()
    {
        foreach (TraceSession s in s_live.Keys)
        {
            s.Dispose();
        }
    }
}
