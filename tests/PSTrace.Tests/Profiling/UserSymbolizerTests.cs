using System.Runtime.InteropServices;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Processes;
using PSTrace.Core.Profiling;
using PSTrace.Core.Records;
using PSTrace.Tests.Probes;

namespace PSTrace.Tests.Profiling;

/// <summary>
/// User addresses named through a process's mappings: this test process's own (the C library as mapped now), and a
/// program gcc builds here mapped where a PIE would be, with mappings that change under an exec.
/// </summary>
public sealed class UserSymbolizerTests
{
    private const ulong Base = 0x5555_5555_4000;

    [Fact]
    public void An_address_of_this_process_is_named_by_the_library_it_lies_in()
    {
        IntPtr libc = NativeLibrary.Load("libc.so.6");
        ulong getpid = (ulong)NativeLibrary.GetExport(libc, "getpid");
        var symbolizer = new UserSymbolizer();
        Assert.True(symbolizer.Remember(Environment.ProcessId));
        StackFrame frame = symbolizer.Frame(Environment.ProcessId, getpid + 1);
        Assert.Equal("libc.so.6", frame.Module);
        Assert.False(frame.IsKernel);
        Assert.Contains(frame.Function, new[] { "getpid", "__getpid" });
    }

    [NeedsGccFact]
    public void A_pie_mapped_at_a_base_names_functions_else_module_and_offset_else_the_address()
    {
        string pie = TestPrograms.Instance!.Pie;
        var image = ElfImage.Load(pie);
        ulong target = image.FileOffsetOf(ElfFunctionsTests.NmAddress(pie, "pstrace_target"))!.Value;
        var maps = new List<MappedFile> { new(Base, Base + 0x10000, "r-xp", 0, pie, false) };
        var symbolizer = new UserSymbolizer(_ => pie, _ => maps);
        symbolizer.Remember(42);

        StackFrame named = symbolizer.Frame(42, Base + target + 2);
        Assert.Equal("pstrace_target", named.Function);
        Assert.Equal(Path.GetFileName(pie), named.Module);
        Assert.Equal(target + 2, named.Offset);
        Assert.Equal("pstrace_target", named.ToString());

        StackFrame header = symbolizer.Frame(42, Base + 0x10);
        Assert.Null(header.Function);
        Assert.Equal(Path.GetFileName(pie) + "+0x10", header.ToString());

        StackFrame nowhere = symbolizer.Frame(42, 0x7f00_0000_1234);
        Assert.Null(nowhere.Module);
        Assert.Equal("0x7f0000001234", nowhere.ToString());
        Assert.Equal("0x7f0000001234", symbolizer.Frame(7, 0x7f00_0000_1234).ToString());
    }

    [NeedsGccFact]
    public void Mappings_are_read_again_after_an_exec_and_the_newest_reading_is_asked_first()
    {
        string pie = TestPrograms.Instance!.Pie;
        string program = "/bin/sh";
        int reads = 0;
        var before = new List<MappedFile> { new(Base, Base + 0x10000, "r-xp", 0, "/nonexistent/sh", false) };
        var after = new List<MappedFile> { new(Base, Base + 0x10000, "r-xp", 0, pie, false) };
        var symbolizer = new UserSymbolizer(_ => program, _ => ++reads == 1 ? before : after);
        symbolizer.Remember(42);
        symbolizer.Remember(42);
        Assert.Equal(1, reads);
        program = pie;
        symbolizer.Remember(42);
        Assert.Equal(2, reads);
        Assert.Equal(Path.GetFileName(pie), symbolizer.Frame(42, Base + 0x10).Module);
    }

    [Fact]
    public void A_process_that_is_gone_keeps_what_was_read()
    {
        var maps = new List<MappedFile> { new(Base, Base + 0x1000, "r-xp", 0, "/nonexistent/lib.so", false) };
        bool alive = true;
        var symbolizer = new UserSymbolizer(_ => alive ? "/nonexistent/prog" : null, _ => alive ? maps : null);
        Assert.True(symbolizer.Remember(9));
        alive = false;
        symbolizer.RefreshLiving();
        Assert.Equal("lib.so+0x20", symbolizer.Frame(9, Base + 0x20).ToString());
        Assert.False(symbolizer.Remember(10));
        Assert.Equal(1, symbolizer.Processes);
    }
}
