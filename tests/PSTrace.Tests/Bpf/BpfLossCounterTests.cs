using PSTrace.Core.Bpf;

namespace PSTrace.Tests.Bpf;

/// <summary>The possible CPUs a per-CPU map's lookup writes a value for, from the kernel's list format.</summary>
public sealed class BpfLossCounterTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("0\n", 1)]
    [InlineData("0-1\n", 2)]
    [InlineData("0,2-5\n", 6)]
    [InlineData("0-3,8-11\n", 12)]
    public void Possible_cpus_count_up_to_the_highest(string text, int expected)
    {
        File.WriteAllText(_file, text);
        Assert.Equal(expected, BpfLossCounter.PossibleCpus(_file));
    }

    [Fact]
    public void This_machine_has_at_least_its_online_cpus() =>
        Assert.True(BpfLossCounter.PossibleCpus() >= Environment.ProcessorCount);
}
