using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;

namespace PSTrace.Tests.Probes.Elf;

/// <summary>Symbol -> file offset on the real binaries of this machine, cross-checked against readelf.</summary>
public sealed class UprobeResolverTests
{
    private readonly UprobeResolver _resolver = new();

    [Fact]
    public void Bash_readline_is_in_bash_itself_here_and_matches_readelf()
    {
        // Debian's bash links readline in statically, so the probe goes in /bin/bash (bcc#1851 is about the other case).
        UprobeTarget t = _resolver.Resolve("bash", "readline");
        string bash = RealPath.Resolve("/bin/bash");
        Assert.Equal(bash, t.Path);
        Assert.False(t.IsFixedAddressExecutable);
        ulong value = ReadElf.SymbolValue(bash, "readline");
        Assert.Equal(value, t.VirtualAddress);
        Assert.Equal(ReadElf.FileOffset(bash, value), t.Offset);
    }

    [Fact]
    public void Libc_getaddrinfo_by_library_name_matches_readelf_and_the_loader()
    {
        UprobeTarget t = _resolver.Resolve("libc.so.6", "getaddrinfo");
        string ldd = ToolRunner.Run("ldconfig", "-p").Split('\n').First(l => l.Contains("libc.so.6 (libc6,x86-64)", StringComparison.Ordinal));
        Assert.Equal(RealPath.Resolve(ldd[(ldd.IndexOf("=> ", StringComparison.Ordinal) + 3)..].Trim()), t.Path);
        ulong value = ReadElf.SymbolValue(t.Path, "getaddrinfo@@GLIBC_2.2.5");
        Assert.Equal(ReadElf.FileOffset(t.Path, value), t.Offset);
        Assert.Equal("GLIBC_2.2.5", t.Symbol.Version);
        Assert.True(t.Symbol.IsDefaultVersion);

        Assert.Equal(t.Offset, _resolver.Resolve("libc", "getaddrinfo@@GLIBC_2.2.5").Offset);
        Assert.Equal(t.Offset, _resolver.Resolve("/lib/x86_64-linux-gnu/libc.so.6", "getaddrinfo@GLIBC_2.2.5").Offset);
    }

    [Fact]
    public void An_older_symbol_version_resolves_to_its_own_code()
    {
        // memcpy@GLIBC_2.2.5 is a plain function; memcpy@@GLIBC_2.14 (the default) is an IFUNC.
        UprobeTarget old = _resolver.Resolve("libc.so.6", "memcpy@GLIBC_2.2.5");
        ulong value = ReadElf.SymbolValue(old.Path, "memcpy@GLIBC_2.2.5");
        Assert.Equal(ReadElf.FileOffset(old.Path, value), old.Offset);
        Assert.False(old.Symbol.IsDefaultVersion);
    }

    [Fact]
    public void An_ifunc_is_refused_with_what_to_probe_instead()
    {
        SymbolResolutionException e = Assert.Throws<SymbolResolutionException>(() => _resolver.Resolve("libc.so.6", "memcpy"));
        Assert.Contains("IFUNC", e.Message, StringComparison.Ordinal);
        Assert.Contains("memcpy@GLIBC_2.2.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_imported_function_points_at_the_library_that_defines_it()
    {
        // bash imports fopen from libc: the error names libc, not bash.
        SymbolResolutionException e = Assert.Throws<SymbolResolutionException>(() => _resolver.Resolve("/bin/bash", "fopen"));
        Assert.Contains("libc.so.6", e.Message, StringComparison.Ordinal);
        Assert.Contains("Probe that library", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_program_and_function_say_so()
    {
        Assert.Throws<SymbolResolutionException>(() => _resolver.Resolve("no-such-program-here", "main"));
        SymbolResolutionException e = Assert.Throws<SymbolResolutionException>(() => _resolver.Resolve("bash", "no_such_function"));
        Assert.Contains("stripped", e.Message, StringComparison.Ordinal);
    }

    [NeedsGccFact]
    public void Non_pie_and_pie_offsets_match_readelf()
    {
        TestPrograms p = TestPrograms.Instance ?? throw new InvalidOperationException(TestPrograms.MissingReason);
        foreach ((string file, bool fixedAddress) in new[] { (p.NonPie, true), (p.Pie, false) })
        {
            UprobeTarget t = _resolver.Resolve(file, "pstrace_target");
            Assert.Equal(fixedAddress, t.IsFixedAddressExecutable);
            Assert.StartsWith(fixedAddress ? "EXEC" : "DYN", ReadElf.ElfType(file), StringComparison.Ordinal);
            ulong value = ReadElf.SymbolValue(file, "pstrace_target");
            Assert.Equal(ReadElf.FileOffset(file, value), t.Offset);
            if (fixedAddress)
            {
                // bcc#2231: on a non-PIE program the address is not the offset.
                Assert.NotEqual(value, t.Offset);
            }
        }
    }

    [Fact]
    public void A_process_resolves_its_own_libc_through_proc()
    {
        int pid = Environment.ProcessId;
        UprobeTarget t = _resolver.ResolveInProcess(pid, "libc", "getaddrinfo");
        Assert.Equal(pid, t.ProcessId);
        Assert.Equal(t.PathInProcess, t.Path);
        Assert.Equal(_resolver.Resolve(t.PathInProcess, "getaddrinfo").Offset, t.Offset);
    }

    [Fact]
    public void The_resolved_place_makes_a_valid_definition()
    {
        UprobeTarget t = _resolver.Resolve("bash", "readline");
        ProbeDefinition d = ProbeDefinition.Create(ProbeKind.Uretprobe, t.ToProbePoint(), "bash_rl", "probes_test", ["line=+0($retval):string"]);
        Assert.Equal($"r:probes_test/bash_rl {t.Path}:0x{t.Offset:x} line=+0($retval):string", d.ToString());
    }
}
