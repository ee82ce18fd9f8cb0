namespace PSTrace.Core.Probes;

/// <summary>Which of the kernel's dynamic probes a definition stands for.</summary>
public enum ProbeKind
{
    /// <summary>A kernel probe at a symbol, symbol+offset or address (kprobe_events "p:").</summary>
    Kprobe,

    /// <summary>A kernel function-return probe (kprobe_events "r:" or "p: ...%return").</summary>
    Kretprobe,

    /// <summary>A user-space probe at a file offset (uprobe_events "p:").</summary>
    Uprobe,

    /// <summary>A user-space function-return probe (uprobe_events "r:" or "p: ...%return").</summary>
    Uretprobe,
}

/// <summary>Questions about a <see cref="ProbeKind"/> that the parser and the validator ask often.</summary>
public static class ProbeKindExtensions
{
    public static bool IsKernel(this ProbeKind kind) => kind is ProbeKind.Kprobe or ProbeKind.Kretprobe;

    public static bool IsReturn(this ProbeKind kind) => kind is ProbeKind.Kretprobe or ProbeKind.Uretprobe;

    /// <summary>The group the kernel puts a probe in when the definition names none.</summary>
    public static string DefaultGroup(this ProbeKind kind) => kind.IsKernel() ? "kprobes" : "uprobes";

    /// <summary>The control file that takes this kind of definition (dynamic_events takes every kind).</summary>
    public static string ControlFile(this ProbeKind kind) => kind.IsKernel() ? "kprobe_events" : "uprobe_events";
}
