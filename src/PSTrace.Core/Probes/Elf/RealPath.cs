namespace PSTrace.Core.Probes.Elf;

/// <summary>
/// realpath(3) in managed code: every symlink on the way resolved (Debian's /lib is itself a link to
/// usr/lib), so a probe names the file the loader maps, and two spellings of one library compare equal.
/// </summary>
public static class RealPath
{
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        int links = 0;
        string resolved = "/";
        var pending = new Stack<string>(Enumerable.Reverse(full.Split('/', StringSplitOptions.RemoveEmptyEntries)));
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }

            string candidate = Path.Combine(resolved, part);
            FileSystemInfo info = new FileInfo(candidate);
            string? target = info.Exists || Directory.Exists(candidate) ? (Directory.Exists(candidate) ? new DirectoryInfo(candidate).LinkTarget : info.LinkTarget) : null;
            if (target is null)
            {
                resolved = candidate;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"Too many symbolic links while resolving '{path}'.");
            }

            if (target.StartsWith('/'))
            {
                resolved = "/";
            }

            foreach (string p in Enumerable.Reverse(target.Split('/', StringSplitOptions.RemoveEmptyEntries)))
            {
                pending.Push(p);
            }
        }

        return resolved;
    }
}
