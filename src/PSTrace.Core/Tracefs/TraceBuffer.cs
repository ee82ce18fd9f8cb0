using System.Globalization;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// A place events are recorded: the top-level buffer or an instance (instances/NAME). Gives the
/// paths of its control files and writes them through <see cref="ControlFile"/>.
/// </summary>
public sealed class TraceBuffer
{
    internal TraceBuffer(string tracefsRoot, string? instanceName)
    {
        TracefsRoot = tracefsRoot;
        InstanceName = instanceName;
        Directory = instanceName is null ? tracefsRoot : Path.Combine(tracefsRoot, "instances", instanceName);
    }

    public string TracefsRoot { get; }

    /// <summary>Null for the top-level buffer.</summary>
    public string? InstanceName { get; }

    public string Directory { get; }

    public bool IsTopLevel => InstanceName is null;

    public string DisplayName => InstanceName ?? "(top level)";

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public string Read(string relative) => ControlFile.Read(PathOf(relative));

    public void Write(string relative, string text, bool append = false) =>
        ControlFile.Write(PathOf(relative), text, append, ErrorLogPath);

    /// <summary>Instances keep their own error_log on current kernels; older ones log only at the top.</summary>
    public string ErrorLogPath
    {
        get
        {
            string own = PathOf("error_log");
            return File.Exists(own) ? own : Path.Combine(TracefsRoot, "error_log");
        }
    }

    /// <summary>The directory of one event in this buffer: events/SYSTEM/EVENT.</summary>
    public string EventDirectory(string system, string name) => Path.Combine(Directory, "events", system, name);

    /// <summary>The CPUs that have a per_cpu/cpuN directory, in order.</summary>
    public IReadOnlyList<int> Cpus()
    {
        string perCpu = PathOf("per_cpu");
        if (!System.IO.Directory.Exists(perCpu))
        {
            return [];
        }

        return System.IO.Directory.EnumerateDirectories(perCpu, "cpu*")
            .Select(d => int.TryParse(Path.GetFileName(d).AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int cpu) ? cpu : -1)
            .Where(c => c >= 0).Order().ToArray();
    }

    public override string ToString() => DisplayName;
}
