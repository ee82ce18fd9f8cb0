using System.Globalization;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// One CPU's per_cpu/cpuN/stats as trace-cmd saved it when the trace was taken: what was still in
/// the buffer, what the kernel overwrote or dropped, what was read.
/// </summary>
public sealed class TraceDatCpuStats
{
    public TraceDatCpuStats(string buffer, int cpu, string text)
    {
        Buffer = buffer;
        Cpu = cpu;
        Text = text;
        Entries = Value(text, "entries");
        Overrun = Value(text, "overrun");
        CommitOverrun = Value(text, "commit overrun");
        Bytes = Value(text, "bytes");
        DroppedEvents = Value(text, "dropped events");
        ReadEvents = Value(text, "read events");
    }

    /// <summary>"" for the top-level buffer, else the instance.</summary>
    public string Buffer { get; }

    public int Cpu { get; }

    /// <summary>The stats file as stored.</summary>
    public string Text { get; }

    public long? Entries { get; }

    /// <summary>Events the kernel overwrote (overwrite mode) before they were read.</summary>
    public long? Overrun { get; }

    public long? CommitOverrun { get; }
    public long? Bytes { get; }

    /// <summary>Events the kernel dropped (non-overwrite mode).</summary>
    public long? DroppedEvents { get; }

    public long? ReadEvents { get; }

    /// <summary>Splits trace-cmd's CPUSTAT texts by the "Buffer: NAME" notes it writes between buffers.</summary>
    internal static List<TraceDatCpuStats> FromOptions(IEnumerable<string> texts)
    {
        var result = new List<TraceDatCpuStats>();
        string buffer = "";
        foreach (string text in texts)
        {
            string trimmed = text.Trim();
            if (trimmed.StartsWith("Buffer: ", StringComparison.Ordinal))
            {
                buffer = trimmed["Buffer: ".Length..].Trim();
                continue;
            }

            if (Value(trimmed, "CPU") is long cpu)
            {
                result.Add(new TraceDatCpuStats(buffer, (int)cpu, trimmed));
            }
        }

        return result;
    }

    private static long? Value(string text, string key)
    {
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().SequenceEqual(key)
                && long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            {
                return v;
            }
        }

        return null;
    }

    public override string ToString() => $"{(Buffer.Length == 0 ? "(top level)" : Buffer)} CPU {Cpu}: entries {Entries}, overrun {Overrun}, dropped {DroppedEvents}, read {ReadEvents}";
}
