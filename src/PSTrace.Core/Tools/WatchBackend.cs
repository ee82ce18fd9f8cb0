namespace PSTrace.Core.Tools;

/// <summary>Which way into the kernel a watch tool uses (-Backend).</summary>
public enum WatchBackend
{
    /// <summary>BPF when this machine can load PSTrace's programs (Get-TraceCapability Bpf), else tracefs.</summary>
    Auto,

    /// <summary>PSTrace's BPF program, read through its ring buffer.</summary>
    Bpf,

    /// <summary>tracefs events and probes in a private instance.</summary>
    Tracefs,
}
