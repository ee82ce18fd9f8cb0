using PSTrace.Core.Bpf;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Bpf;

/// <summary>
/// Each reason Get-TraceCapability Bpf can give, seen by pointing the check at a folder that stands for /proc and
/// /sys with one prerequisite taken away at a time; the first missing one is the reason, with its fix.
/// </summary>
public sealed class BpfCapabilityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-bpfcap-").FullName;
    private readonly string _programs;

    public BpfCapabilityTests()
    {
        _programs = Path.Combine(_root, "bpf");
        Directory.CreateDirectory(_programs);
        Touch("proc/sys/kernel/unprivileged_bpf_disabled", "2\n");
        Touch("sys/kernel/btf/vmlinux", "");
        Touch("sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        Touch("bpf/exec.bpf.o", "");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Everything_there_is_available()
    {
        TraceFeature f = Check().Probe();
        Assert.True(f.Available, f.Detail);
        Assert.Equal("Bpf", f.Name);
        Assert.Null(f.Fix);
    }

    [Fact]
    public void No_bpf_syscall_is_the_first_reason()
    {
        File.Delete(Path.Combine(_root, "proc/sys/kernel/unprivileged_bpf_disabled"));
        File.Delete(Path.Combine(_root, "sys/kernel/btf/vmlinux"));
        TraceFeature f = Check().Probe();
        Assert.False(f.Available);
        Assert.Contains("CONFIG_BPF_SYSCALL", f.Detail, StringComparison.Ordinal);
        Assert.Contains("-Backend Tracefs", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void No_btf_names_the_file_and_the_config()
    {
        File.Delete(Path.Combine(_root, "sys/kernel/btf/vmlinux"));
        TraceFeature f = Check().Probe();
        Assert.False(f.Available);
        Assert.Contains("sys/kernel/btf/vmlinux", f.Detail, StringComparison.Ordinal);
        Assert.Contains("CONFIG_DEBUG_INFO_BTF", f.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_libbpf_gives_the_apt_command()
    {
        TraceFeature f = Check(libraryLoads: false).Probe();
        Assert.False(f.Available);
        Assert.Contains("libbpf.so.1", f.Detail, StringComparison.Ordinal);
        Assert.Equal(BpfCapability.LibraryFix, f.Fix);
        Assert.Contains("apt-get install libbpf1", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_root_says_so()
    {
        TraceFeature f = Check(isRoot: false).Probe();
        Assert.False(f.Available);
        Assert.StartsWith("not root", f.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Lockdown_confidentiality_refuses_integrity_does_not()
    {
        Touch("sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
        TraceFeature f = Check().Probe();
        Assert.False(f.Available);
        Assert.Contains("[confidentiality]", f.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_build_without_programs_says_how_to_build_them()
    {
        File.Delete(Path.Combine(_programs, "exec.bpf.o"));
        TraceFeature f = Check().Probe();
        Assert.False(f.Available);
        Assert.Contains("no compiled BPF programs", f.Detail, StringComparison.Ordinal);
        Assert.Contains("clang", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_throws_the_reason_with_its_fix()
    {
        var e = Assert.Throws<TraceException>(() => Check(isRoot: false).Require());
        Assert.Equal("BpfNotSupported", e.ErrorId);
        Assert.Equal(TraceErrorKind.NotSupported, e.Kind);
        Assert.NotNull(e.Fix);
    }

    private BpfCapability Check(bool isRoot = true, bool libraryLoads = true) => new(_root, isRoot, libraryLoads, _programs);

    private void Touch(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
