using System.Globalization;

namespace PSTrace.Core.Binary;

/// <summary>One line of /proc/kallsyms: an address, a type letter, a name and the module it lives in.</summary>
public sealed class KernelSymbol
{
    public KernelSymbol(ulong address, char type, string name, string? module)
    {
        Address = address;
        Type = type;
        Name = name;
        Module = module;
    }

    public ulong Address { get; }

    /// <summary>nm's letter: T/t text, D/d data, B/b bss, R/r read-only...</summary>
    public char Type { get; }

    public string Name { get; }

    /// <summary>The module, or null for the kernel image.</summary>
    public string? Module { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address:x16} {Type} {Name}{(Module is null ? "" : " [" + Module + "]")}");
}

/// <summary>
/// Kernel symbols (/proc/kallsyms, or trace.dat's copy of it), sorted by address, to turn the
/// function addresses that events carry into names.
/// </summary>
public sealed class KernelSymbols
{
    private readonly ulong[] _addresses;
    private readonly KernelSymbol[] _symbols;

    private KernelSymbols(KernelSymbol[] sorted)
    {
        _symbols = sorted;
        _addresses = sorted.Select(s => s.Address).ToArray();
    }

    public static KernelSymbols Empty { get; } = new([]);

    public int Count => _symbols.Length;

    public IReadOnlyList<KernelSymbol> Symbols => _symbols;

    /// <summary>Parses kallsyms text: "ADDRESS TYPE NAME [MODULE]" per line; lines that are not that are skipped.</summary>
    public static KernelSymbols Parse(string text)
    {
        var list = new List<KernelSymbol>();
        foreach (string raw in text.Split('\n'))
        {
            string[] parts = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[1].Length != 1
                || !ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address))
            {
                continue;
            }

            string? module = parts.Length > 3 && parts[3].StartsWith('[') ? parts[3].Trim('[', ']') : null;
            list.Add(new KernelSymbol(address, parts[1][0], parts[2], module));
        }

        // A stable sort keeps kallsyms' own order among aliases at one address.
        return new KernelSymbols(list.OrderBy(s => s.Address).ToArray());
    }

    /// <summary>
    /// The symbol an address belongs to: the last one at or below it. Past the last symbol only an
    /// exact match counts, since nothing says where the last one ends (libtraceevent does the same).
    /// </summary>
    public KernelSymbol? Lookup(ulong address)
    {
        int i = Array.BinarySearch(_addresses, address);
        if (i >= 0)
        {
            // First of the aliases at this address.
            while (i > 0 && _addresses[i - 1] == address)
            {
                i--;
            }

            return _symbols[i];
        }

        int below = ~i - 1;
        if (below < 0 || ~i >= _addresses.Length)
        {
            return null;
        }

        ulong start = _addresses[below];
        while (below > 0 && _addresses[below - 1] == start)
        {
            below--;
        }

        return _symbols[below];
    }

    /// <summary>"name+0xoffset" (or "name" at the start), or the address in hex when no symbol covers it.</summary>
    public string Format(ulong address)
    {
        KernelSymbol? s = Lookup(address);
        if (s is null)
        {
            return "0x" + address.ToString("x", CultureInfo.InvariantCulture);
        }

        ulong offset = address - s.Address;
        return offset == 0 ? s.Name : s.Name + "+0x" + offset.ToString("x", CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"{Count} kernel symbols";
}
