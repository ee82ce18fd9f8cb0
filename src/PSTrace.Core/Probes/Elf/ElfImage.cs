using System.Buffers.Binary;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using ELFSharp.ELF.Segments;

namespace PSTrace.Core.Probes.Elf;

/// <summary>One loadable segment (PT_LOAD): where file bytes land in memory.</summary>
public sealed record ElfLoadSegment(ulong VirtualAddress, ulong FileOffset, ulong FileSize, ulong MemorySize, bool IsExecutable)
{
    public bool Contains(ulong address) => address >= VirtualAddress && address < VirtualAddress + Math.Max(FileSize, MemorySize);
}

/// <summary>
/// What uprobe placement needs from an x86_64 ELF file: its type, load segments, defined symbols
/// (.symtab and .dynsym, with GNU versions) and the libraries it needs (DT_NEEDED, DT_RUNPATH).
/// The file is read once and closed.
/// </summary>
public sealed class ElfImage
{
    private const int VersymHidden = 0x8000;

    private ElfImage(string path, bool isExecutable, bool isSharedObject, IReadOnlyList<ElfLoadSegment> segments, IReadOnlyList<ElfSymbol> symbols,
        IReadOnlyList<string> undefined, IReadOnlyList<string> needed, IReadOnlyList<string> runPaths)
    {
        Path = path;
        IsFixedAddressExecutable = isExecutable;
        IsSharedObject = isSharedObject;
        LoadSegments = segments;
        Symbols = symbols;
        UndefinedSymbols = undefined;
        NeededLibraries = needed;
        RunPaths = runPaths;
    }

    public string Path { get; }

    /// <summary>ET_EXEC: a non-PIE program, loaded at the addresses it was linked for.</summary>
    public bool IsFixedAddressExecutable { get; }

    /// <summary>ET_DYN: a shared library or a position-independent executable.</summary>
    public bool IsSharedObject { get; }

    public IReadOnlyList<ElfLoadSegment> LoadSegments { get; }

    /// <summary>Defined symbols with an address, from both tables (a name may appear in both).</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>Names the file imports from its libraries (undefined .dynsym entries).</summary>
    public IReadOnlyList<string> UndefinedSymbols { get; }

    /// <summary>DT_NEEDED: the libraries the dynamic linker loads for this file, in order.</summary>
    public IReadOnlyList<string> NeededLibraries { get; }

    /// <summary>DT_RUNPATH or DT_RPATH directories, with $ORIGIN expanded.</summary>
    public IReadOnlyList<string> RunPaths { get; }

    /// <summary>
    /// The file offset of a virtual address: address - p_vaddr + p_offset of the PT_LOAD segment that holds it.
    /// The same rule serves non-PIE programs (linked at 0x400000), PIEs and libraries (linked at 0).
    /// Null when no segment maps the address from the file.
    /// </summary>
    public ulong? FileOffsetOf(ulong virtualAddress)
    {
        foreach (ElfLoadSegment s in LoadSegments)
        {
            if (virtualAddress >= s.VirtualAddress && virtualAddress < s.VirtualAddress + s.FileSize)
            {
                return virtualAddress - s.VirtualAddress + s.FileOffset;
            }
        }

        return null;
    }

    public static ElfImage Load(string path)
    {
        if (!ELFReader.TryLoad(path, out IELF? any))
        {
            throw new InvalidDataException($"'{path}' is not an ELF file.");
        }

        using IELF disposable = any;
        if (any is not ELF<ulong> elf || elf.Class != Class.Bit64)
        {
            throw new InvalidDataException($"'{path}' is a 32-bit ELF file; only 64-bit files are supported.");
        }

        var segments = elf.Segments.Where(s => s.Type == SegmentType.Load)
            .Select(s => new ElfLoadSegment(s.Address, (ulong)s.Offset, (ulong)s.FileSize, s.Size, (s.Flags & SegmentFlags.Execute) != 0))
            .ToList();
        var symbols = new List<ElfSymbol>();
        var undefined = new List<string>();
        if (elf.TryGetSection(".symtab", out Section<ulong>? symtab) && symtab is SymbolTable<ulong> st)
        {
            AddSymbols(st, null, null, ElfSymbolTableKind.Static, symbols, undefined);
        }

        if (elf.TryGetSection(".dynsym", out Section<ulong>? dynsym) && dynsym is SymbolTable<ulong> dt)
        {
            ushort[]? versym = elf.TryGetSection(".gnu.version", out Section<ulong>? vs) ? ReadVersym(vs.GetContents()) : null;
            Dictionary<int, string>? verdef = elf.TryGetSection(".gnu.version_d", out Section<ulong>? vd) && elf.TryGetSection(".dynstr", out Section<ulong>? ds)
                ? ReadVerdef(vd.GetContents(), ds.GetContents())
                : null;
            AddSymbols(dt, versym, verdef, ElfSymbolTableKind.Dynamic, symbols, undefined);
        }

        (List<string> needed, List<string> runPaths) = ReadDynamic(elf, path);
        return new ElfImage(path, elf.Type == FileType.Executable, elf.Type == FileType.SharedObject, segments, symbols, undefined, needed, runPaths);
    }

    private static void AddSymbols(SymbolTable<ulong> table, ushort[]? versym, Dictionary<int, string>? verdef, ElfSymbolTableKind kind, List<ElfSymbol> into, List<string> undefined)
    {
        int index = -1;
        foreach (SymbolEntry<ulong> e in table.Entries)
        {
            index++;
            if (string.IsNullOrEmpty(e.Name))
            {
                continue;
            }

            if (e.PointedSectionIndex == 0)
            {
                if (kind == ElfSymbolTableKind.Dynamic)
                {
                    undefined.Add(e.Name);
                }

                continue;
            }

            if (e.Value == 0 || e.Type is SymbolType.Section or SymbolType.File)
            {
                continue;
            }

            string? version = null;
            bool isDefault = true;
            if (versym is not null && index < versym.Length && verdef is not null)
            {
                int v = versym[index];
                isDefault = (v & VersymHidden) == 0;
                verdef.TryGetValue(v & ~VersymHidden, out version);
            }

            bool ifunc = (int)e.Type == 10;
            into.Add(new ElfSymbol(e.Name, version, isDefault, e.Value, e.Size, e.Type == SymbolType.Function || ifunc, ifunc, kind));
        }
    }

    private static ushort[] ReadVersym(byte[] data)
    {
        var v = new ushort[data.Length / 2];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(i * 2));
        }

        return v;
    }

    /// <summary>Verdef entries (Elf64_Verdef, Elf64_Verdaux): version index -> name. Index 1 names the file itself and is skipped.</summary>
    private static Dictionary<int, string> ReadVerdef(byte[] data, byte[] dynstr)
    {
        var map = new Dictionary<int, string>();
        int off = 0;
        while (off + 20 <= data.Length)
        {
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(off + 2));
            ushort ndx = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(off + 4));
            uint aux = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(off + 12));
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(off + 16));
            int auxOff = off + (int)aux;
            if ((flags & 1) == 0 && auxOff + 4 <= data.Length)
            {
                uint name = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(auxOff));
                map[ndx] = CString(dynstr, (int)name);
            }

            if (next == 0)
            {
                break;
            }

            off += (int)next;
        }

        return map;
    }

    private static (List<string> Needed, List<string> RunPaths) ReadDynamic(ELF<ulong> elf, string path)
    {
        var needed = new List<string>();
        var runPaths = new List<string>();
        if (!elf.TryGetSection(".dynamic", out Section<ulong>? dyn) || dyn is not DynamicSection<ulong> ds || !elf.TryGetSection(".dynstr", out Section<ulong>? strs))
        {
            return (needed, runPaths);
        }

        byte[] dynstr = strs.GetContents();
        string origin = System.IO.Path.GetDirectoryName(path) ?? "/";
        foreach (DynamicEntry<ulong> e in ds.Entries)
        {
            switch ((long)e.Tag)
            {
                case 1: // DT_NEEDED
                    needed.Add(CString(dynstr, (int)e.Value));
                    break;
                case 15: // DT_RPATH
                case 29: // DT_RUNPATH
                    runPaths.AddRange(CString(dynstr, (int)e.Value).Split(':', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => p.Replace("$ORIGIN", origin, StringComparison.Ordinal).Replace("${ORIGIN}", origin, StringComparison.Ordinal)));
                    break;
            }
        }

        return (needed, runPaths);
    }

    private static string CString(byte[] data, int offset)
    {
        if (offset < 0 || offset >= data.Length)
        {
            return "";
        }

        int end = Array.IndexOf(data, (byte)0, offset);
        return System.Text.Encoding.UTF8.GetString(data, offset, (end < 0 ? data.Length : end) - offset);
    }
}
