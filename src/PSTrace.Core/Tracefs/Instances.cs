using System.Globalization;
using PSTrace.Core.Processes;

namespace PSTrace.Core.Tracefs;

/// <summary>Creating, listing and removing tracefs instances (mkdir/rmdir under instances/).</summary>
public static class Instances
{
    public static TraceBuffer Create(Tracefs fs, string name)
    {
        InstanceName.Validate(name);
        string dir = Path.Combine(fs.InstancesDirectory, name);
        if (Directory.Exists(dir))
        {
            throw new TraceException(TraceErrorKind.AlreadyExists, "InstanceExists", $"The instance '{name}' already exists.", "Choose another name, or use the existing one with -Instance.", name);
        }

        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceException(TraceErrorKind.PermissionDenied, "InstanceCreateFailed", $"Could not create the instance '{name}': {e.Message}", Prerequisites.RootFix, name, e);
        }

        return fs.Buffer(name);
    }

    /// <summary>
    /// Removes an instance. The kernel refuses (EBUSY) while any of its files is open: a reader thread
    /// still closing its pipe, or another process that lists instances and reads their settings at
    /// that moment. Both let go within milliseconds, so EBUSY is retried for up to a second before
    /// it is reported.
    /// </summary>
    public static void Remove(Tracefs fs, string name)
    {
        InstanceName.Validate(name);
        string dir = Path.Combine(fs.InstancesDirectory, name);
        if (!Directory.Exists(dir))
        {
            throw new TraceException(TraceErrorKind.NotFound, "InstanceNotFound", $"There is no instance named '{name}'.", "Get-TraceInstance lists the instances.", name);
        }

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                // rmdir, never a recursive delete: tracefs removes the contents itself.
                Directory.Delete(dir, recursive: false);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return; // removed meanwhile (by the reaper of another session): what was asked is done
            }
            catch (IOException) when (attempt < BusyRetries)
            {
                Thread.Sleep(BusyRetryMilliseconds);
            }
            catch (IOException e)
            {
                throw new TraceException(TraceErrorKind.Busy, "InstanceBusy", $"The instance '{name}' could not be removed: {e.Message}", "Stop whatever is reading it (trace_pipe) and retry.", name, e);
            }
        }
    }

    private const int BusyRetries = 50;
    private const int BusyRetryMilliseconds = 20;

    public static TraceInstance Describe(Tracefs fs, string name)
    {
        TraceBuffer b = fs.Buffer(name);
        int? owner = InstanceName.OwnerOf(name);
        return new TraceInstance(
            name,
            b.Directory,
            ReadOr(b, "current_tracer", "").Trim(),
            ReadOr(b, "tracing_on", "0").Trim() == "1",
            int.TryParse(ReadOr(b, "buffer_size_kb", "0").Split(' ')[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int kb) ? kb : 0,
            ReadOr(b, "set_event", "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            owner,
            owner is int pid ? SessionOwner.IsAlive(fs, pid) : null);
    }

    public static IEnumerable<TraceInstance> List(Tracefs fs) => fs.InstanceNames().Select(n => Describe(fs, n));

    private static string ReadOr(TraceBuffer b, string file, string fallback)
    {
        try
        {
            return b.Read(file);
        }
        catch (TraceException)
        {
            return fallback;
        }
    }
}
