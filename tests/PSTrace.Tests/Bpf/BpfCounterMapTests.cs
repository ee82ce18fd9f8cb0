using System.Buffers.Binary;
using PSTrace.Core.Bpf;

namespace PSTrace.Tests.Bpf;

/// <summary>Per-CPU values as the kernel copies them out, summed field by field, and the counting programs' settings.</summary>
public sealed class BpfCounterMapTests
{
    [Fact]
    public void Per_cpu_values_are_summed_field_by_field()
    {
        // Two CPUs, three fields each: (calls, errors, nanoseconds).
        byte[] values = new byte[8 * 3 * 2];
        ulong[] raw = [600, 1, 1000, 400, 2, 500];
        for (int i = 0; i < raw.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(values.AsSpan(8 * i), raw[i]);
        }

        Assert.Equal([1000UL, 3UL, 1500UL], BpfCounterMap.Sum(values, 3, 2));
    }

    [Fact]
    public void The_settings_say_by_process_or_whom_to_leave_out()
    {
        byte[] byProcess = new BpfCountingConfig { ProcessIds = [42], ExcludedProcessId = 7, FollowChildren = true }.Encode();
        Assert.Equal([1u, 0u, 1u, 0u], Fields(byProcess));
        byte[] everyone = new BpfCountingConfig { ExcludedProcessId = 7, FollowChildren = true, Histogram = true }.Encode();
        Assert.Equal([0u, 7u, 0u, 1u], Fields(everyone));
        Assert.Equal([BpfCountingConfig.ForkProgram], new BpfCountingConfig { ProcessIds = [42], FollowChildren = true }.ExtraPrograms);
        Assert.Empty(new BpfCountingConfig { FollowChildren = true }.ExtraPrograms);
    }

    private static uint[] Fields(byte[] config) => Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(config.AsSpan(4 * i))).ToArray();
}
