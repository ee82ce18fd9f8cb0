using System.Globalization;

namespace PSTrace.Core.Tracefs;

/// <summary>Per-CPU counters of a buffer (per_cpu/cpuN/stats): what the kernel overwrote or dropped.</summary>
public sealed record CpuBufferStats(int Cpu, long Entries, long Overrun, long Dropped)
{
    /// <summary>Events this CPU lost: overwritten before being read, or dropped because the buffer was full.</summary>
    public long Lost => Overrun + Dropped;

    public static IReadOnlyList<CpuBufferStats> Read(TraceBuffer buffer)
    {
        var result = new List<CpuBufferStats>();
        string perCpu = buffer.PathOf("per_cpu");
        if (!Directory.Exists(perCpu))
        {
            return result;
        }

        foreach (string dir in Directory.EnumerateDirectories(perCpu, "cpu*"))
        {
            if (!int.TryParse(Path.GetFileName(dir).AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int cpu))
            {
                continue;
            }

            string stats = Path.Combine(dir, "stats");
            if (!File.Exists(stats))
            {
                continue;
            }

            result.Add(Parse(cpu, ControlFile.Read(stats)));
        }

        result.Sort((a, b) => a.Cpu.CompareTo(b.Cpu));
        return result;
    }

    /// <summary>One CPU's counters (per_cpu/cpuN/stats); null when the buffer has no such file.</summary>
    /// <exception cref="TraceException">The file exists but cannot be read.</exception>
    public static CpuBufferStats? ReadCpu(TraceBuffer buffer, int cpu)
    {
        string stats = buffer.PathOf(Path.Combine("per_cpu", "cpu" + cpu.ToString(CultureInfo.InvariantCulture), "stats"));
        return File.Exists(stats) ? Parse(cpu, ControlFile.Read(stats)) : null;
    }

    private static CpuBufferStats Parse(int cpu, string text)
    {
        long entries = 0, overrun = 0, dropped = 0;
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0 || !long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                continue;
            }

            switch (line[..colon].Trim())
            {
                case "entries": entries = value; break;
                case "overrun": overrun = value; break;
                case "dropped events": dropped = value; break;
            }
        }

        return new CpuBufferStats(cpu, entries, overrun, dropped);
    }
}
