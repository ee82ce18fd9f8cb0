using System.Globalization;
using PSTrace.Core.Processes;

namespace PSTrace.Core.Probes.Elf;

/// <summary>
/// Turns "program or library + function" into the file and offset a uprobe needs, avoiding the anchors'
/// known mistakes: a hard-coded libc (perf-tools#39), address-as-offset on non-PIE programs (bcc#2231),
/// and probing a program for a function it only imports (bcc#1851, readline in libreadline, not bash).
/// </summary>
public sealed class UprobeResolver
{
    private readonly LibraryLocator _locator;

    public UprobeResolver(LibraryLocator? locator = null) => _locator = locator ?? new LibraryLocator();

    /// <summary>
    /// Resolves <paramref name="symbol"/> ("readline", "getaddrinfo@@GLIBC_2.2.5", "memcpy@GLIBC_2.2.5") in
    /// <paramref name="binary"/>: a path, a program name on PATH ("bash"), or a library name ("libc.so.6", "libc").
    /// </summary>
    public UprobeTarget Resolve(string binary, string symbol)
    {
        string path = LocateFile(binary);
        ElfImage image = ElfImage.Load(path);
        return Build(image, path, path, symbol, null);
    }

    /// <summary>
    /// Resolves <paramref name="symbol"/> in a file that process <paramref name="processId"/> has mapped: the program
    /// itself or one of its libraries, by path or by name ("libc", "libc.so.6", "bash"). The file is read through
    /// /proc/PID/root, so a process in a container is probed in its own file, under the path it sees.
    /// </summary>
    public UprobeTarget ResolveInProcess(int processId, string binary, string symbol)
    {
        IReadOnlyList<MappedFile> maps = ProcessMaps.Read(processId);
        string exe = ReadLink(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/exe")) ?? "";
        var paths = maps.Select(m => m.Path).Distinct(StringComparer.Ordinal).ToList();
        string? match = paths.FirstOrDefault(p => p == binary)
            ?? paths.FirstOrDefault(p => Path.GetFileName(p) == binary)
            ?? (Path.GetFileName(exe) == binary ? exe : null)
            ?? paths.FirstOrDefault(p => Path.GetFileName(p).StartsWith(binary + ".so", StringComparison.Ordinal))
            ?? paths.FirstOrDefault(p => Path.GetFileName(p).StartsWith("lib" + binary + ".so", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith(binary + "-", StringComparison.Ordinal));
        if (match is null)
        {
            throw new SymbolResolutionException(
                $"Process {processId} has no file '{binary}' mapped. It maps: {string.Join(", ", paths.Select(Path.GetFileName).Distinct())}.", null, symbol);
        }

        if (maps.Any(m => m.Path == match && m.Deleted))
        {
            throw new SymbolResolutionException(
                $"'{match}' was deleted or replaced after process {processId} mapped it (an upgrade?); a uprobe on the path would hit the new file, not the one the process runs. Restart the process.", match, symbol);
        }

        string root = string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/root");
        string readable = root + match;
        bool sameMounts = ReadLink("/proc/self/ns/mnt") is { } self && self == ReadLink(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/ns/mnt"));
        string probePath = sameMounts ? match : readable;
        ElfImage image = ElfImage.Load(readable);
        return Build(image, probePath, match, symbol, processId);
    }

    /// <summary>The real path (symlinks resolved) of a program or library given by path or by name.</summary>
    public string LocateFile(string binary)
    {
        ArgumentException.ThrowIfNullOrEmpty(binary);
        string? found = binary.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(binary)
            : LibraryLocator.IsLibraryName(binary) ? _locator.FindLibrary(binary)
            : _locator.FindProgram(binary) ?? _locator.FindLibrary(binary);
        if (found is null || !File.Exists(found))
        {
            throw new SymbolResolutionException(
                binary.Contains('/', StringComparison.Ordinal)
                    ? $"'{binary}' does not exist."
                    : $"'{binary}' is neither a program on PATH nor a library the loader knows (ldconfig -p, /etc/ld.so.conf). Give its full path.",
                found, null);
        }

        return RealPath.Resolve(found);
    }

    private UprobeTarget Build(ElfImage image, string probePath, string pathInProcess, string symbol, int? processId)
    {
        (string name, string? version, bool defaultOnly) = SplitVersion(symbol);
        var named = image.Symbols.Where(s => s.Name == name).ToList();
        var candidates = named.Where(s => version is null || s.Version == version && (!defaultOnly || s.IsDefaultVersion)).ToList();
        if (candidates.Count == 0)
        {
            throw NotFound(image, symbol, name, named);
        }

        if (version is null && candidates.Select(c => c.Value).Distinct().Count() > 1)
        {
            // Several versions of one name (memcpy@GLIBC_2.2.5 and memcpy@@GLIBC_2.14): the default one is what programs call now.
            var defaults = candidates.Where(c => c.Version is null || c.IsDefaultVersion).ToList();
            if (defaults.Select(c => c.Value).Distinct().Count() == 1)
            {
                candidates = defaults;
            }
            else
            {
                throw new SymbolResolutionException(
                    $"'{name}' names {candidates.Select(c => c.Value).Distinct().Count()} different functions in {image.Path}: {string.Join(", ", candidates.Select(c => c.VersionedName).Distinct())}. Name one with its version.",
                    image.Path, symbol);
            }
        }

        ElfSymbol chosen = candidates.OrderBy(c => c.Table == ElfSymbolTableKind.Dynamic ? 0 : 1).First();
        if (chosen.IsIndirectFunction)
        {
            var implementations = image.Symbols.Where(s => s.IsFunction && !s.IsIndirectFunction && s.Name != name && s.Name.Contains(name.TrimStart('_'), StringComparison.Ordinal))
                .Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).Take(8).ToList();
            string older = string.Join(", ", named.Where(s => !s.IsIndirectFunction && s.Version is not null).Select(s => s.VersionedName).Distinct());
            throw new SymbolResolutionException(
                $"'{chosen.VersionedName}' in {image.Path} is an IFUNC: the code at its address picks an implementation once, when the program loads, and calls go straight to that implementation, so a probe there would hardly ever fire. "
                + (implementations.Count > 0 ? $"Probe an implementation instead ({string.Join(", ", implementations)})" : "Probe the implementation it selects instead")
                + (older.Length > 0 ? $", or the plain older version {older}." : "."),
                image.Path, symbol);
        }

        if (!chosen.IsFunction)
        {
            throw new SymbolResolutionException($"'{chosen.VersionedName}' in {image.Path} is data, not a function; a uprobe goes on code.", image.Path, symbol);
        }

        ulong? offset = image.FileOffsetOf(chosen.Value);
        if (offset is null)
        {
            throw new SymbolResolutionException(
                string.Create(CultureInfo.InvariantCulture, $"'{chosen.VersionedName}' at 0x{chosen.Value:x} is in no loadable segment of {image.Path}."), image.Path, symbol);
        }

        return new UprobeTarget(probePath, pathInProcess, chosen, offset.Value, image.IsFixedAddressExecutable, processId);
    }

    private SymbolResolutionException NotFound(ElfImage image, string symbol, string name, List<ElfSymbol> sameName)
    {
        if (sameName.Count > 0)
        {
            return new SymbolResolutionException(
                $"{image.Path} has '{name}' only as {string.Join(", ", sameName.Select(s => s.VersionedName).Distinct())}; '{symbol}' matches none of them.", image.Path, symbol);
        }

        if (image.UndefinedSymbols.Contains(name))
        {
            foreach (string lib in image.NeededLibraries)
            {
                string? libPath = _locator.FindLibrary(lib, image.RunPaths);
                if (libPath is null)
                {
                    continue;
                }

                ElfImage dep = ElfImage.Load(libPath);
                if (dep.Symbols.Any(s => s.Name == name))
                {
                    return new SymbolResolutionException(
                        $"{image.Path} does not contain '{name}': it calls it in {lib} ({RealPath.Resolve(libPath)}). Probe that library; the probe then fires for every program that uses it.",
                        image.Path, symbol);
                }
            }

            return new SymbolResolutionException($"{image.Path} imports '{name}' from a library but none of its libraries ({string.Join(", ", image.NeededLibraries)}) defines it here.", image.Path, symbol);
        }

        bool stripped = image.Symbols.All(s => s.Table == ElfSymbolTableKind.Dynamic);
        return new SymbolResolutionException(
            $"{image.Path} has no function '{name}'" + (stripped ? " among its exported symbols (the file is stripped: internal functions have no names left)." : "."),
            image.Path, symbol);
    }

    /// <summary>"name@@VER" (the default version), "name@VER" (that version), or "name".</summary>
    internal static (string Name, string? Version, bool DefaultOnly) SplitVersion(string symbol)
    {
        int at = symbol.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (symbol, null, false);
        }

        bool isDefault = at + 1 < symbol.Length && symbol[at + 1] == '@';
        return (symbol[..at], symbol[(at + (isDefault ? 2 : 1))..], isDefault);
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
