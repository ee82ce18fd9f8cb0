using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;
using PSTrace.Tests.Tracefs;

namespace PSTrace.Tests.Probes;

public sealed class KernelFunctionsTests
{
    [Fact]
    public void Kallsyms_gives_the_names_of_code_symbols_only()
    {
        // fixtures/6.18/kallsyms-excerpt.txt: 12 text symbols, 3 data symbols, 1 module text symbol.
        var names = KernelFunctions.ParseKallsyms(Fixtures.Text("6.18/kallsyms-excerpt.txt")).ToList();
        Assert.Equal(13, names.Count);
        Assert.Contains("entry_SYSCALL_64", names);
        Assert.Contains("syscall_return_via_sysret", names);
        Assert.Contains("ftrace_trampoline", names);
        Assert.DoesNotContain("__start_rodata", names);
    }

    [LiveFact]
    public void This_kernel_lists_its_functions() => Assert.Contains("do_sys_openat2", KernelFunctions.List(LiveKernel.Open()));
}
