namespace PSTrace.Core.Binary;

/// <summary>
/// The kernel's latency columns (irqs-off, need-resched, hardirq/softirq, preempt depth, migrate-disable)
/// from a record's common_flags and common_preempt_count, rendered as trace_output.c does on 6.x kernels.
/// </summary>
internal static class LatencyFlags
{
    private const int IrqsOff = 0x01;
    private const int NeedReschedLazy = 0x02;
    private const int NeedResched = 0x04;
    private const int HardIrq = 0x08;
    private const int SoftIrq = 0x10;
    private const int PreemptResched = 0x20;
    private const int Nmi = 0x40;
    private const int BhOff = 0x80;

    // One string per (flags, preempt_count) pair, made on first use.
    private static readonly string?[] Cache = new string?[256 * 256];

    public static string Render(byte flags, byte preemptCount)
    {
        int key = (flags << 8) | preemptCount;
        return Cache[key] ??= Make(flags, preemptCount);
    }

    private static string Make(int flags, int preempt)
    {
        char irqs = (flags & IrqsOff) != 0 && (flags & BhOff) != 0 ? 'D'
            : (flags & IrqsOff) != 0 ? 'd'
            : (flags & BhOff) != 0 ? 'b'
            : '.';
        char resched = (flags & (NeedResched | NeedReschedLazy | PreemptResched)) switch
        {
            NeedResched | NeedReschedLazy | PreemptResched => 'B',
            NeedResched | PreemptResched => 'N',
            NeedReschedLazy | PreemptResched => 'L',
            NeedResched | NeedReschedLazy => 'b',
            NeedResched => 'n',
            PreemptResched => 'p',
            NeedReschedLazy => 'l',
            _ => '.',
        };
        bool nmi = (flags & Nmi) != 0, hard = (flags & HardIrq) != 0, soft = (flags & SoftIrq) != 0;
        char irq = nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';
        char depth = (preempt & 0xf) != 0 ? "0123456789abcdef"[preempt & 0xf] : '.';
        char migrate = (preempt & 0xf0) != 0 ? "0123456789abcdef"[preempt >> 4] : '.';
        return new string([irqs, resched, irq, depth, migrate]);
    }
}
