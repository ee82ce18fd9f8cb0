using PSTrace.Core.Probes.Elf;

namespace PSTrace.Core.Profiling;

/// <summary>
/// The functions of one ELF file (program or library) by where they lie in the file: a mapped address becomes a file
/// offset through /proc/PID/maps, the file offset a virtual address through the file's PT_LOAD segments (the same rule
/// for a PIE, a library and a fixed-address program), and that the function whose symbol covers it (.symtab, else
/// .dynsym for a stripped file).
/// </summary>
public sealed class ElfFunctions
{
    private readonly ElfImage _image;
    private readonly ulong[] _starts;
    private readonly ElfSymbol[] _symbols;

    public ElfFunctions(ElfImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _image = image;
        // One symbol per address: .symtab's (the plain name) before .dynsym's, the larger size when both say.
        ElfSymbol[] functions = image.Symbols
            .Where(s => s.IsFunction)
            .OrderBy(s => s.Value)
            .ThenBy(s => s.Table)
            .ThenByDescending(s => s.Size)
            .ToArray();
        var kept = new List<ElfSymbol>(functions.Length);
        foreach (ElfSymbol s in functions)
        {
            if (kept.Count == 0 || kept[^1].Value != s.Value)
            {
                kept.Add(s);
            }
        }

        _symbols = kept.ToArray();
        _starts = _symbols.Select(s => s.Value).ToArray();
    }

    /// <summary>Loads the file's symbols; null when it cannot be read as a 64-bit ELF file (gone, not ELF).</summary>
    public static ElfFunctions? TryLoad(string path)
    {
        try
        {
            return new ElfFunctions(ElfImage.Load(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    public string Path => _image.Path;

    /// <summary>The function at <paramref name="fileOffset"/> of the file; null when no function symbol covers it.</summary>
    public string? FunctionAt(ulong fileOffset)
    {
        ulong? address = VirtualAddressOf(fileOffset);
        if (address is not { } va)
        {
            return null;
        }

        int i = Array.BinarySearch(_starts, va);
        int at = i >= 0 ? i : ~i - 1;
        if (at < 0)
        {
            return null;
        }

        ElfSymbol s = _symbols[at];
        // A symbol without a size (hand-written assembly) is taken to reach the next one.
        return s.Size == 0 || va < s.Value + s.Size ? s.Name : null;
    }

    /// <summary>The virtual address (as linked) of a file offset: the PT_LOAD segment that maps it from the file.</summary>
    private ulong? VirtualAddressOf(ulong fileOffset)
    {
        foreach (ElfLoadSegment s in _image.LoadSegments)
        {
            if (fileOffset >= s.FileOffset && fileOffset < s.FileOffset + s.FileSize)
            {
                return fileOffset - s.FileOffset + s.VirtualAddress;
            }
        }

        return null;
    }
}
