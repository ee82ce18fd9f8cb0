using System.Globalization;

namespace PSTrace.Core.Profiling;

/// <summary>The kernel's CPU lists (/sys/devices/system/cpu/online: "0-3", "0,2-5").</summary>
public static class CpuList
{
    /// <summary>The CPUs that run now: a sampling event is opened on each.</summary>
    public static IReadOnlyList<int> Online() => Parse(File.ReadAllText("/sys/devices/system/cpu/online"));

    /// <summary>Every CPU of a list, in order.</summary>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cpus = new List<int>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = part.Split('-');
            int first = int.Parse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture);
            int last = ends.Length > 1 ? int.Parse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture) : first;
            for (int cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }
}
