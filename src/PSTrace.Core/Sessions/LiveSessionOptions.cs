using PSTrace.Core.Tools;

namespace PSTrace.Core.Sessions;

/// <summary>How a <see cref="LiveSession"/> sets up its instance and reads it.</summary>
public sealed class LiveSessionOptions
{
    /// <summary>Per-CPU buffer of a watch session: room for a burst of a few thousand process starts.</summary>
    public const int WatchBufferSizeKb = 4096;

    /// <summary>Processes and command names to keep.</summary>
    public WatchFilter Filter { get; init; } = WatchFilter.None;

    /// <summary>The instance's buffer per CPU in KB; 0 keeps the kernel's default.</summary>
    public int BufferSizeKb { get; init; }

    /// <summary>Select the "mono" trace clock, so record times convert to wall-clock times (the watch tools).</summary>
    public bool MonotonicClock { get; init; }

    /// <summary>Read trace_pipe text rather than binary pages.</summary>
    public bool TextPath { get; init; }

    /// <summary>Save the pages read to this trace.dat file; null for none.</summary>
    public string? CaptureTo { get; init; }

    /// <summary>The options of the watch tools: their buffer size, the mono clock.</summary>
    public static LiveSessionOptions ForWatch(WatchFilter? filter, int bufferSizeKb = WatchBufferSizeKb, string? captureTo = null) => new()
    {
        Filter = filter ?? WatchFilter.None,
        BufferSizeKb = bufferSizeKb,
        MonotonicClock = true,
        CaptureTo = captureTo,
    };
}
