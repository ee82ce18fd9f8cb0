namespace PSTrace.Core.Binary.TraceDat;

/// <summary>trace-cmd's option ids; in v7 the section ids are the same numbers.</summary>
internal enum OptionId : ushort
{
    Done = 0,
    Date = 1,
    CpuStat = 2,
    Buffer = 3,
    TraceClock = 4,
    Uname = 5,
    Hook = 6,
    Offset = 7,
    CpuCount = 8,
    Version = 9,
    ProcMaps = 10,
    TraceId = 11,
    TimeShift = 12,
    Guest = 13,
    TscToNanoseconds = 14,
    Strings = 15,
    HeaderInfo = 16,
    FtraceEvents = 17,
    EventFormats = 18,
    Kallsyms = 19,
    Printk = 20,
    Cmdlines = 21,
    BufferText = 22,
    BtfFile = 23,
    LastBootInfo = 24,
    ModulesFile = 25,

    /// <summary>
    /// PSTrace's own option: saved_tgids ("PID TGID" lines), so a saved trace knows each thread's process as the
    /// live read did. trace-cmd skips options it does not know.
    /// </summary>
    SavedTgids = 0x5054,

    /// <summary>
    /// PSTrace's own option: when the trace clock was zero, as decimal nanoseconds since the Unix epoch, so a saved
    /// trace gives each event the wall-clock Time the live read gave. Unlike DATE it leaves the timestamps alone.
    /// </summary>
    ClockEpoch = 0x5055,
}
