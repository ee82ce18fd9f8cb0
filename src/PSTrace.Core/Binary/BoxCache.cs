namespace PSTrace.Core.Binary;

/// <summary>
/// Boxed small integers, made once: most field values (prio, cpu, flags, small counts) are small,
/// and boxing each one would be an allocation per field per event.
/// </summary>
internal static class BoxCache
{
    private const int Low = -16;
    private const int High = 1024;

    private static readonly object[] Ints = Make(i => i);
    private static readonly object[] UInts = Make(i => (uint)Math.Max(i, 0));
    private static readonly object[] Longs = Make(i => (long)i);
    private static readonly object[] ULongs = Make(i => (ulong)Math.Max(i, 0));
    private static readonly object[] Shorts = Make(i => (short)i);
    private static readonly object[] UShorts = Make(i => (ushort)Math.Max(i, 0));
    private static readonly object[] SBytes = Enumerable.Range(-128, 256).Select(i => (object)(sbyte)i).ToArray();
    private static readonly object[] Bytes = Enumerable.Range(0, 256).Select(i => (object)(byte)i).ToArray();
    private static readonly object True = true;
    private static readonly object False = false;

    // Ids up to 65535 (pids, tids, common values) are boxed on first sight and then reused.
    private const int Wide = 1 << 16;
    private static readonly object?[] WideInts = new object?[Wide];

    private static object[] Make(Func<int, object> box) => Enumerable.Range(Low, High - Low).Select(box).ToArray();

    /// <summary>The raw bits of an element, as the .NET type its size and kind call for.</summary>
    public static object Box(ulong raw, ElementKind kind, int size)
    {
        switch (kind)
        {
            case ElementKind.Bool:
                return raw != 0 ? True : False;
            case ElementKind.Signed or ElementKind.Char:
                return size switch
                {
                    1 => SBytes[(sbyte)raw + 128],
                    2 => Small((short)raw, Shorts) ?? (short)raw,
                    4 => Small((int)raw, Ints) ?? WideInt((int)raw),
                    _ => Small((long)raw, Longs) ?? (long)raw,
                };
            default:
                return size switch
                {
                    1 => Bytes[(byte)raw],
                    2 => raw < High ? UShorts[(int)raw - Low] : (ushort)raw,
                    4 => raw < High ? UInts[(int)raw - Low] : (uint)raw,
                    _ => raw < High ? ULongs[(int)raw - Low] : raw,
                };
        }
    }

    private static object WideInt(int value) =>
        (uint)value < Wide ? WideInts[value] ??= value : value;

    private static object? Small(long value, object[] table) => value is >= Low and < High ? table[(int)(value - Low)] : null;
}
