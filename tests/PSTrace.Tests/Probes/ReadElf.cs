using System.Globalization;

namespace PSTrace.Tests.Probes;

/// <summary>The expected offset computed from binutils' readelf output, independently of the ELF library under test.</summary>
internal static class ReadElf
{
    /// <summary>st_value of <paramref name="versionedName"/> ("readline", "getaddrinfo@@GLIBC_2.2.5") from readelf -W -s (both tables).</summary>
    public static ulong SymbolValue(string file, string versionedName)
    {
        foreach (string line in ToolRunner.Run("readelf", "-W", "-s", file).Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 8 && f[7] == versionedName && f[6] != "UND")
            {
                return ulong.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"readelf shows no {versionedName} in {file}");
    }

    /// <summary>value - p_vaddr + p_offset of the LOAD line (readelf -W -l) whose file range holds the address.</summary>
    public static ulong FileOffset(string file, ulong value)
    {
        foreach (string line in ToolRunner.Run("readelf", "-W", "-l", file).Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 6 && f[0] == "LOAD")
            {
                ulong offset = Hex(f[1]), vaddr = Hex(f[2]), filesz = Hex(f[4]);
                if (value >= vaddr && value < vaddr + filesz)
                {
                    return value - vaddr + offset;
                }
            }
        }

        throw new InvalidOperationException($"no LOAD segment of {file} holds 0x{value:x}");
    }

    public static string ElfType(string file) =>
        ToolRunner.Run("readelf", "-h", file).Split('\n').First(l => l.TrimStart().StartsWith("Type:", StringComparison.Ordinal)).Split(':')[1].Trim();

    private static ulong Hex(string s) => ulong.Parse(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
