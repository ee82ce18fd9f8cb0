namespace PSTrace.Core.Probes;

/// <summary>
/// What is wrong with a probe definition. Names that match the kernel's own error list
/// (kernel/trace/trace_probe.h, TP_ERR_*) mean the same thing, so a kernel error_log line and a
/// PSTrace error can be compared; the rest are checks PSTrace makes before anything is written.
/// </summary>
public enum ProbeErrorCode
{
    // Checks on the raw text, before any parsing.
    Empty,
    LineBreak,
    ControlCharacter,
    CommentCharacter,
    Semicolon,
    LineTooLong,
    NotADefinition,
    RemovalNotAllowed,
    UnknownProbeType,

    /// <summary>A kprobe definition where a uprobe was asked for, or the other way round.</summary>
    WrongProbeKind,
    MissingPlace,

    // Names (kernel: traceprobe_parse_event_name).
    NoGroupName,
    GroupTooLong,
    BadGroupName,
    NoEventName,
    EventTooLong,
    BadEventName,
    EventNameRequired,

    // Where the probe goes.
    BadMaxactType,
    BadMaxact,
    MaxactTooBig,
    BadProbeAddr,
    BadRetprobe,
    BadAddrSuffix,
    BadUprobeOffs,
    BadRefcnt,
    RefcntOpenBrace,
    BadRefcntSuffix,
    PathNotAbsolute,
    PathHasSpace,
    FileNotFound,
    NoRegularFile,

    // Arguments (kernel: traceprobe_parse_probe_arg and friends).
    TooManyArgs,
    ArgNameTooLong,
    NoArgName,
    BadArgName,
    UsedArgName,
    ArgTooLong,
    NoArgBody,
    RetvalOnProbe,
    BadStackNum,
    BadArgNum,
    BadVar,
    BadRegName,
    BadMemAddr,
    BadImm,
    ImmstrNoClose,
    FileOnKprobe,
    BadFileOffs,
    SymOnUprobe,
    BadSymbol,
    TooManyOps,
    DerefNeedBrace,
    BadDerefOffs,
    DerefOpenBrace,
    DerefTrailingText,
    CommCantDeref,
    BadFetchArg,
    ArrayNoClose,
    BadArraySuffix,
    BadArrayNum,
    ArrayTooBig,
    BadType,
    BadString,
    BadSymstring,
    BadBitfield,
    NeedStringType,
    NofentryArgs,
    BadVarArgs,
    DoubleArgs,
    NosupBtfarg,
    EventTooBig,
}
