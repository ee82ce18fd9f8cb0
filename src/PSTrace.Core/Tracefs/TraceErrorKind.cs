namespace PSTrace.Core.Tracefs;

/// <summary>What kind of failure a TraceException is: the cmdlets map it to an ErrorCategory.</summary>
public enum TraceErrorKind
{
    /// <summary>Not root, or tracefs not readable/writable by this user.</summary>
    PermissionDenied,
    /// <summary>tracefs is absent and could not be mounted.</summary>
    TracefsMissing,
    /// <summary>The kernel was built without what was asked for (kprobes, a tracer).</summary>
    NotSupported,
    /// <summary>User input failed validation; nothing was written.</summary>
    InvalidArgument,
    /// <summary>The kernel refused a write to a control file.</summary>
    KernelRejected,
    /// <summary>A named event, instance or probe does not exist.</summary>
    NotFound,
    /// <summary>The object is in use (EBUSY), e.g. an instance being read or an enabled probe.</summary>
    Busy,
    /// <summary>The object already exists.</summary>
    AlreadyExists,
    /// <summary>A file of PSTrace's own (not a control file) could not be read or written.</summary>
    Io,
    /// <summary>A file given to read is not what it must be (not a trace, a line too long to be one).</summary>
    InvalidData,
}
