using System.Collections.Concurrent;
using System.Diagnostics;

namespace PSTrace.Core.Tracers;

/// <summary>
/// Starts programs from one thread that lives as long as this process. A program started with a parent
/// death signal (prctl PR_SET_PDEATHSIG, set by setpriv before it runs the program) gets it when the
/// thread that forked it ends, not the process: forked from a pipeline thread, it would be signalled when
/// that thread ended, long before this process did. Forked from here, it is signalled when this process
/// dies, however it dies (a kill -9 included).
/// </summary>
internal static class ProgramLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = new();
    private static readonly Lazy<Thread> Thread = new(StartThread, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Process.Start on the launcher thread; exceptions of the start come back to the caller.</summary>
    public static Process Start(ProcessStartInfo info)
    {
        _ = Thread.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "PSTrace program launcher" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach ((ProcessStartInfo info, TaskCompletionSource<Process> started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
