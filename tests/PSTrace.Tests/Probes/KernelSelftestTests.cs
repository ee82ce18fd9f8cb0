using PSTrace.Core.Probes;
using Xunit.Abstractions;

namespace PSTrace.Tests.Probes;

/// <summary>
/// The kernel's own ftrace selftests (tools/testing/selftests/ftrace/test.d/kprobe and dynevent, Linux 6.12)
/// list definitions the kernel accepts and rejects, and for rejections where its error_log caret goes.
/// PSTrace's parser must agree on every case a validator can judge, point where the kernel points, accept
/// (and leave to the kernel) what only the running kernel can judge, and refuse the few removals it refuses on purpose.
/// </summary>
public sealed class KernelSelftestTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (KernelSelftestCase c in KernelSelftestCase.All)
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Parser_agrees_with_the_kernel_selftest(string id)
    {
        KernelSelftestCase c = KernelSelftestCase.All.First(x => x.Id == id);
        ProbeValidationException? error = c.Check();
        switch (c.Judge)
        {
            case "syntax" when c.KernelAccepts:
                Assert.True(error is null, $"{c.Id}: refused although the kernel accepts it: {error?.Message}");
                break;
            case "syntax":
                Assert.True(error is not null, $"{c.Id}: accepted although the kernel rejects it ({c.KernelError})");
                if (c.Caret >= 0)
                {
                    Assert.True(c.Caret == error!.Position, $"{c.Id}: error at {error.Position}, the kernel's caret is at {c.Caret}: {error.Message}");
                }

                break;
            case "kernel-only":
                // Syntax is fine; whether the symbol, the BTF parameter or the existing event allows it only the kernel knows.
                Assert.True(error is null, $"{c.Id}: refused a definition only the kernel can judge: {error?.Message}");
                break;
            case "pstrace-refuses":
                Assert.NotNull(error);
                break;
            default:
                Assert.Fail($"Unknown judge '{c.Judge}' in {c.Id}");
                break;
        }
    }

    [Fact]
    public void Agreement_summary()
    {
        int agree = 0, kernelOnly = 0, refused = 0, caretsSame = 0, carets = 0;
        foreach (KernelSelftestCase c in KernelSelftestCase.All)
        {
            ProbeValidationException? e = c.Check();
            bool accepted = e is null;
            if (c.Judge == "kernel-only")
            {
                kernelOnly++;
            }
            else if (c.Judge == "pstrace-refuses")
            {
                refused++;
            }
            else if (accepted == c.KernelAccepts)
            {
                agree++;
            }

            if (c.Judge == "syntax" && !c.KernelAccepts && c.Caret >= 0 && e is not null)
            {
                carets++;
                caretsSame += e.Position == c.Caret ? 1 : 0;
            }
        }

        int total = KernelSelftestCase.All.Count;
        output.WriteLine($"{total} cases: {agree} agree, {kernelOnly} kernel-only, {refused} refused by PSTrace on purpose, {total - agree - kernelOnly - refused} disagree; carets {caretsSame}/{carets} at the kernel's position.");
        Assert.Equal(total, agree + kernelOnly + refused);
    }
}
