using System.Globalization;

namespace PSTrace.Core.Probes.Elf;

/// <summary>Which symbol table of the file a symbol came from.</summary>
public enum ElfSymbolTableKind
{
    /// <summary>.symtab: every symbol the linker kept; gone from stripped binaries.</summary>
    Static,

    /// <summary>.dynsym: the symbols the dynamic linker sees; stays in stripped binaries, carries versions.</summary>
    Dynamic,
}

/// <summary>A defined symbol of an ELF file, with its GNU symbol version when the file has one for it.</summary>
public sealed class ElfSymbol
{
    internal ElfSymbol(string name, string? version, bool isDefaultVersion, ulong value, ulong size, bool isFunction, bool isIndirectFunction, ElfSymbolTableKind table)
    {
        Name = name;
        Version = version;
        IsDefaultVersion = isDefaultVersion;
        Value = value;
        Size = size;
        IsFunction = isFunction;
        IsIndirectFunction = isIndirectFunction;
        Table = table;
    }

    public string Name { get; }

    /// <summary>"GLIBC_2.2.5" and the like; null for an unversioned symbol.</summary>
    public string? Version { get; }

    /// <summary>The version new links bind to (written name@@VERSION); older versions are written name@VERSION.</summary>
    public bool IsDefaultVersion { get; }

    /// <summary>The symbol's virtual address as linked (st_value).</summary>
    public ulong Value { get; }

    public ulong Size { get; }

    public bool IsFunction { get; }

    /// <summary>STT_GNU_IFUNC: the symbol is a resolver that picks the real function when the program loads.</summary>
    public bool IsIndirectFunction { get; }

    public ElfSymbolTableKind Table { get; }

    /// <summary>name, name@VERSION or name@@VERSION, as readelf and the linker write it.</summary>
    public string VersionedName => Version is null ? Name : Name + (IsDefaultVersion ? "@@" : "@") + Version;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{VersionedName} 0x{Value:x} size {Size}");
}
