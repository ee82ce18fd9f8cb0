namespace PSTrace.Core.Binary;

/// <summary>
/// Boxes a field's value the way both readers type numbers: signed integers (and pid_t, char) as long,
/// unsigned ones and pointers as ulong, whatever their size in the record, so a script compares a
/// field with a number the same way whether it came from trace text or from binary records.
/// Small values are boxed once and reused: most fields (prio, cpu, flags, small counts) are small,
/// and boxing each one would be an allocation per field per event.
/// </summary>
internal static class BoxCache
{
    private const int Low = -16;
    private const int High = 1024;

    private static readonly object[] Longs = Enumerable.Range(Low, High - Low).Select(i => (object)(long)i).ToArray();
    private static readonly object[] ULongs = Enumerable.Range(0, High).Select(i => (object)(ulong)i).ToArray();
    private static readonly object True = true;
    private static readonly object False = false;

    // Ids up to 65535 (pids, tids, common values) are boxed on first sight and then reused.
    private const int Wide = 1 << 16;
    private static readonly object?[] WideLongs = new object?[Wide];

    /// <summary>The raw bits of a scalar of <paramref name="size"/> bytes, as long (signed) or ulong.</summary>
    public static object Box(ulong raw, ElementKind kind, int size)
    {
        switch (kind)
        {
            case ElementKind.Bool:
                return raw != 0 ? True : False;
            case ElementKind.Signed or ElementKind.Char:
                long value = SignExtend(raw, size);
                return value is >= Low and < High ? Longs[value - Low]
                    : (ulong)value < Wide ? WideLongs[value] ??= value
                    : value;
            default:
                return raw < High ? ULongs[raw] : raw;
        }
    }

    /// <summary>The two's-complement value of the low <paramref name="size"/> bytes of <paramref name="raw"/>.</summary>
    public static long SignExtend(ulong raw, int size)
    {
        int shift = 64 - (size * 8);
        return size >= 8 ? unchecked((long)raw) : unchecked((long)(raw << shift) >> shift);
    }
}
