using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Probes;

/// <summary>
/// The end of a live probe test: its instance goes first (through <see cref="Instances.Remove"/>, which
/// waits out a parallel test that has one of the instance's files open for a moment), and its probes
/// go whatever happened to the instance, so a failure here leaves at most the one thing it names.
/// </summary>
internal static class LiveProbeCleanup
{
    public static void Remove(string tracefsRoot, string instance, IEnumerable<ProbeDefinition> probes)
    {
        try
        {
            var fs = Core.Tracefs.Tracefs.At(tracefsRoot);
            if (Directory.Exists(Path.Combine(fs.InstancesDirectory, instance)))
            {
                Instances.Remove(fs, instance);
            }
        }
        finally
        {
            foreach (ProbeDefinition d in probes)
            {
                File.AppendAllText(Path.Combine(tracefsRoot, "uprobe_events"), d.Removal() + "\n");
            }
        }
    }
}
