using PSTrace.Core.Formats;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>Everything read from a trace.dat file before its CPU data: filled by the v6 or v7 reader.</summary>
internal sealed class TraceDatMetadata
{
    public int Version { get; set; }
    public bool BigEndian { get; set; }
    public int LongSize { get; set; }
    public int PageSize { get; set; }
    public string Compression { get; set; } = "none";
    public string? CompressionVersion { get; set; }

    public string HeaderPage { get; set; } = "";
    public string HeaderEvent { get; set; } = "";
    public List<EventFormat> Formats { get; } = new();
    public List<string> FormatFailures { get; } = new();
    /// <summary>Reads the kallsyms text when first wanted: it is megabytes and most readers never need it.</summary>
    public Func<string> Kallsyms { get; set; } = () => "";
    public string Printk { get; set; } = "";
    public string Cmdlines { get; set; } = "";

    /// <summary>saved_tgids ("PID TGID" lines) from PSTrace's own option; null when the file has none.</summary>
    public string? SavedTgids { get; set; }

    /// <summary>CPUs of the traced machine (the CPU count, or the CPUCOUNT option).</summary>
    public int Cpus { get; set; }

    public List<TraceDatBuffer> Buffers { get; } = new();
    public List<string> CpuStats { get; } = new();
    public string? TraceClock { get; set; }
    public string? Uname { get; set; }
    public string? TraceCmdVersion { get; set; }

    /// <summary>PSTrace's clock epoch option: when the trace clock was zero, in nanoseconds since the Unix epoch.</summary>
    public long? ClockEpochNanoseconds { get; set; }

    /// <summary>A DATE option (trace-cmd --date) made the timestamps times of day.</summary>
    public bool HasDate { get; set; }

    /// <summary>Nanoseconds trace-cmd adds to every timestamp (DATE and OFFSET options).</summary>
    public long TimestampOffset { get; set; }

    public TimestampScale? TscToNanoseconds { get; set; }

    /// <summary>Set by the TRACECLOCK option; in v6 it means the clock text follows the CPU table.</summary>
    public bool HasTraceClockOption { get; set; }

    public void AddFormat(string text, string system)
    {
        try
        {
            Formats.Add(EventFormatParser.Parse(text, system));
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            // trace-cmd counts these as parsing failures and goes on; so do we, and we say which.
            string firstLine = text.Split('\n', 2)[0];
            FormatFailures.Add($"{system}: {firstLine}: {e.Message}");
        }
    }
}
