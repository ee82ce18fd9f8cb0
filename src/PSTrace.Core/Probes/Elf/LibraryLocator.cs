using System.Diagnostics;

namespace PSTrace.Core.Probes.Elf;

/// <summary>
/// Finds a program or a library the way the shell and the dynamic loader do: a program on PATH; a
/// library through the needing file's DT_RUNPATH, then LD_LIBRARY_PATH, the loader cache (ldconfig -p),
/// then the directories of /etc/ld.so.conf and the default ones. Probing the library the loader really maps
/// is what perf-tools#39 got wrong (a hard-coded libc path).
/// </summary>
public sealed class LibraryLocator
{
    private static readonly string[] DefaultLibraryDirectories =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
    ];

    private readonly Lazy<IReadOnlyDictionary<string, string>> _cache;
    private readonly Lazy<IReadOnlyList<string>> _confDirectories;

    public LibraryLocator(string? ldconfigOutput = null, string root = "/")
    {
        Root = root;
        _cache = new(() => ParseLdconfig(ldconfigOutput ?? RunLdconfig()));
        _confDirectories = new(() => ReadLdSoConf(Path.Combine(root, "etc/ld.so.conf"), 0));
    }

    /// <summary>The file system root the paths are looked up under ("/", or /proc/PID/root for a process in a container).</summary>
    public string Root { get; }

    /// <summary>Looks like a library name ("libc.so.6", "libreadline.so") rather than a program ("bash").</summary>
    public static bool IsLibraryName(string name) => name.Contains(".so", StringComparison.Ordinal);

    /// <summary>A program name (no '/') searched on <paramref name="pathVariable"/> (default: this process's PATH); the absolute path, or null.</summary>
    public string? FindProgram(string name, string? pathVariable = null)
    {
        foreach (string dir in (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(Under(candidate)))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A library by its DT_NEEDED-style name ("libc.so.6"); also takes a short stem ("c", "libc") when the cache has one match.</summary>
    public string? FindLibrary(string name, IEnumerable<string>? runPaths = null)
    {
        foreach (string dir in (runPaths ?? []).Concat(LdLibraryPath()))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(Under(candidate)))
            {
                return candidate;
            }
        }

        if (_cache.Value.TryGetValue(name, out string? cached))
        {
            return cached;
        }

        foreach (string dir in _confDirectories.Value.Concat(DefaultLibraryDirectories))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(Under(candidate)))
            {
                return candidate;
            }
        }

        if (!IsLibraryName(name))
        {
            string stem = name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name;
            var matches = _cache.Value.Where(kv => kv.Key.StartsWith(stem + ".so", StringComparison.Ordinal)).Select(kv => kv.Value).Distinct().ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }
        }

        return null;
    }

    /// <summary>The loader cache's names and paths, from "ldconfig -p" lines like "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6".</summary>
    public static IReadOnlyDictionary<string, string> ParseLdconfig(string output)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            int arrow = line.IndexOf(" => ", StringComparison.Ordinal);
            int paren = line.IndexOf(" (", StringComparison.Ordinal);
            if (arrow < 0 || paren < 0 || paren > arrow)
            {
                continue;
            }

            string flags = line[(paren + 2)..line.IndexOf(')', paren)];
            bool is64 = flags.Contains("x86-64", StringComparison.Ordinal);
            if (!is64)
            {
                continue;
            }

            map.TryAdd(line[..paren], line[(arrow + 4)..]);
        }

        return map;
    }

    private string Under(string path) => Root == "/" ? path : Path.Join(Root, path);

    private static IEnumerable<string> LdLibraryPath() =>
        (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);

    private string RunLdconfig()
    {
        if (Root != "/")
        {
            // Another root's cache is a binary file; its conf directories and the defaults are searched instead.
            return "";
        }

        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" })
        {
            if (!File.Exists(ldconfig))
            {
                continue;
            }

            var psi = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process? p = Process.Start(psi);
            if (p is null)
            {
                continue;
            }

            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output;
        }

        return "";
    }

    private List<string> ReadLdSoConf(string file, int depth)
    {
        var dirs = new List<string>();
        if (depth > 8 || !File.Exists(file))
        {
            return dirs;
        }

        foreach (string raw in File.ReadAllLines(file))
        {
            string line = raw.Split('#')[0].Trim();
            if (line.StartsWith("include ", StringComparison.Ordinal))
            {
                string pattern = line[8..].Trim();
                string dir = Path.GetDirectoryName(Under(pattern)) ?? "/";
                string glob = Path.GetFileName(pattern);
                if (Directory.Exists(dir))
                {
                    foreach (string f in Directory.GetFiles(dir, glob).Order(StringComparer.Ordinal))
                    {
                        dirs.AddRange(ReadLdSoConf(f, depth + 1));
                    }
                }
            }
            else if (line.Length > 0)
            {
                dirs.Add(line);
            }
        }

        return dirs;
    }
}
