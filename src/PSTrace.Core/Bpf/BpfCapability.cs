using System.Runtime.InteropServices;
using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Bpf;

/// <summary>
/// Whether PSTrace can load its BPF programs here, and if not, why and what to do: the kernel's bpf syscall,
/// its BTF (CO-RE needs /sys/kernel/btf/vmlinux), libbpf.so.1, root, lockdown, and the module's own compiled
/// programs. Each is looked at, nothing is loaded.
/// </summary>
public sealed class BpfCapability
{
    /// <summary>The feature's name in Get-TraceCapability.</summary>
    public const string FeatureName = "Bpf";

    /// <summary>The apt command that installs libbpf.so.1.</summary>
    public const string LibraryFix = "Install libbpf 1.x: apt-get install libbpf1 (Debian, Ubuntu).";

    private static int s_libraryState; // 0 unknown, 1 loads, -1 missing

    /// <summary>The machine as it is.</summary>
    public static BpfCapability Machine { get; } = new("/");

    /// <param name="root">Where /proc and /sys are found ("/" for the machine; a test's folder to see each reason).</param>
    internal BpfCapability(string root, bool? isRoot = null, bool? libraryLoads = null, string? programs = null)
    {
        _root = root;
        _isRoot = isRoot;
        _libraryLoads = libraryLoads;
        _programs = programs;
    }

    private readonly string _root;
    private readonly bool? _isRoot;
    private readonly bool? _libraryLoads;
    private readonly string? _programs;

    /// <summary>The kernel's BTF, which CO-RE relocations are resolved against.</summary>
    public string BtfPath => At("sys/kernel/btf/vmlinux");

    /// <summary>Checks every prerequisite in turn; the first missing one is the reason.</summary>
    public TraceFeature Probe()
    {
        // Defined only when the kernel has CONFIG_BPF_SYSCALL (kernel/bpf/syscall.c).
        if (!File.Exists(At("proc/sys/kernel/unprivileged_bpf_disabled")))
        {
            return Missing("no bpf syscall: the kernel was built without CONFIG_BPF_SYSCALL",
                "Watch-Exec and Watch-Open use their tracefs backend (-Backend Tracefs) on this kernel.");
        }

        if (!File.Exists(BtfPath))
        {
            return Missing($"no BTF ({BtfPath}): the kernel was built without CONFIG_DEBUG_INFO_BTF, which PSTrace's programs need to find kernel structures",
                "Use a kernel with CONFIG_DEBUG_INFO_BTF=y (Debian's have it), or the tracefs backend (-Backend Tracefs).");
        }

        if (!(_libraryLoads ?? LibraryLoads()))
        {
            return Missing($"{LibBpf.LibraryName} (libbpf 1.x) is not installed", LibraryFix);
        }

        if (!(_isRoot ?? Prerequisites.IsRoot))
        {
            return Missing("not root: loading BPF programs needs CAP_BPF and CAP_PERFMON", "Run PowerShell as root (for example: sudo pwsh).");
        }

        if (Lockdown() == "confidentiality")
        {
            return Missing("kernel lockdown is [confidentiality]: it refuses BPF programs that read memory",
                "Boot with lockdown=integrity or none, or use the tracefs backend (-Backend Tracefs).");
        }

        string? exec = _programs is null ? BpfProgramFiles.Find("exec") : Path.Combine(_programs, "exec.bpf.o");
        if (exec is null || !File.Exists(exec))
        {
            return Missing($"this build of PSTrace has no compiled BPF programs ({BpfProgramFiles.Directory} is missing or empty)",
                "Build the module with clang present: ./build.ps1 Build installs clang, bpftool and libbpf-dev when it runs as root.");
        }

        return new TraceFeature(FeatureName, true, $"bpf syscall, BTF, {LibBpf.LibraryName}, programs in {Path.GetDirectoryName(exec)}");
    }

    /// <summary>Throws a NotSupported TraceException with the reason and the fix when BPF cannot be used.</summary>
    public void Require()
    {
        TraceFeature f = Probe();
        if (!f.Available)
        {
            throw new TraceException(TraceErrorKind.NotSupported, "BpfNotSupported", $"BPF is not available: {f.Detail}.", f.Fix, FeatureName);
        }
    }

    /// <summary>The lockdown mode in brackets in /sys/kernel/security/lockdown ("none", "integrity", "confidentiality"), or null.</summary>
    private string? Lockdown()
    {
        try
        {
            string text = File.ReadAllText(At("sys/kernel/security/lockdown"));
            int open = text.IndexOf('[', StringComparison.Ordinal);
            int close = text.IndexOf(']', StringComparison.Ordinal);
            return open >= 0 && close > open ? text[(open + 1)..close] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when libbpf.so.1 loads; asked once per process (loading is what the first call would do anyway).</summary>
    private static bool LibraryLoads()
    {
        if (s_libraryState == 0)
        {
            s_libraryState = NativeLibrary.TryLoad(LibBpf.LibraryName, out _) ? 1 : -1;
        }

        return s_libraryState > 0;
    }

    private string At(string relative) => Path.Combine(_root, relative);

    private static TraceFeature Missing(string detail, string fix) => new(FeatureName, false, detail, fix);
}
