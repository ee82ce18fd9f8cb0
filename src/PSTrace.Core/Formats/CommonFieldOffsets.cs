namespace PSTrace.Core.Formats;

/// <summary>Where the common_* fields sit in every binary record (the same for all events of a kernel).</summary>
internal sealed record CommonFieldOffsets(int Type, int TypeSize, int Flags, int PreemptCount, int Pid)
{
    /// <summary>The layout of every kernel since 2.6.x: u16 type, u8 flags, u8 preempt_count, int pid.</summary>
    public static CommonFieldOffsets Default { get; } = new(0, 2, 2, 3, 4);

    /// <summary>The header every record has: common_pid ends it.</summary>
    public int Length => Pid + 4;

    public static CommonFieldOffsets From(EventFormat f)
    {
        FormatField? type = f.Field("common_type");
        return new CommonFieldOffsets(
            type?.Offset ?? 0,
            type?.Size is 1 or 2 or 4 ? type.Size : 2,
            f.Field("common_flags")?.Offset ?? 2,
            f.Field("common_preempt_count")?.Offset ?? 3,
            f.Field("common_pid")?.Offset ?? 4);
    }
}
