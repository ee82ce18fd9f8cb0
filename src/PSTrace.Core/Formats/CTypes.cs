namespace PSTrace.Core.Formats;

/// <summary>Sizes of the C types that appear in format files, for dynamic arrays whose element size the file does not state.</summary>
internal static class CTypes
{
    public static int? SizeOf(string type)
    {
        string t = type.Replace("const ", "", StringComparison.Ordinal).Replace("unsigned ", "", StringComparison.Ordinal).Replace("signed ", "", StringComparison.Ordinal).Trim();
        if (t.EndsWith('*'))
        {
            return 8;
        }

        return t switch
        {
            "char" or "u8" or "s8" or "__u8" or "__s8" or "bool" or "_Bool" => 1,
            "short" or "u16" or "s16" or "__u16" or "__s16" => 2,
            "int" or "u32" or "s32" or "__u32" or "__s32" or "pid_t" or "gfp_t" or "dev_t" => 4,
            "long" or "long long" or "u64" or "s64" or "__u64" or "__s64" or "size_t" or "ssize_t" or "loff_t" or "sector_t" => 8,
            _ => null,
        };
    }
}
