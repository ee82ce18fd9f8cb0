namespace PSTrace.Core.Bpf;

/// <summary>
/// The module's own compiled BPF programs: bpf/NAME.bpf.o beside the engine's assembly, laid there by build.ps1
/// from Bpf/Programs/NAME.bpf.c. Only these are ever loaded: a name is one of <see cref="Known"/>, never a path.
/// </summary>
public static class BpfProgramFiles
{
    /// <summary>The programs the module ships, by name.</summary>
    public static IReadOnlyList<string> Known { get; } = ["exec", "open", "profile", "offcpu", "syscall", "count", "blockio"];

    /// <summary>The module's bpf folder (beside PSTrace.Core.dll); the engine's tests point it at a built module's.</summary>
    public static string Directory { get; internal set; } = Path.Combine(Path.GetDirectoryName(typeof(BpfProgramFiles).Assembly.Location) ?? "", "bpf");

    /// <summary>The compiled file of one of the module's programs; null when this build has none (built without clang).</summary>
    public static string? Find(string name)
    {
        if (!Known.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not one of PSTrace's BPF programs ({string.Join(", ", Known)}).", nameof(name));
        }

        string path = Path.Combine(Directory, name + ".bpf.o");
        return File.Exists(path) ? path : null;
    }
}
