using System.Text.RegularExpressions;

namespace PSTrace.Tests;

/// <summary>
/// Keeps the engine's folders in one order (README, Layout): a folder of src/PSTrace.Core uses only the
/// folders before it, never one after it, so no two folders use each other. Read from the source files:
/// each file's <c>using PSTrace.Core.X</c> lines and its <c>Core.X.Name</c> qualified names.
/// </summary>
public sealed partial class FolderOrderTests
{
    /// <summary>The engine's folders, earliest first. Folders on one line share a place (they may use each other).</summary>
    internal static readonly string[][] Order =
    [
        ["Native"],
        ["Processes"],
        ["Tracefs"],
        ["Formats"],
        ["Records"],
        ["Text"],
        ["Binary"],
        ["FunctionGraph"],
        ["Probes"],
        ["Bpf"],
        ["Profiling"],
        ["Streaming", "Events"],
        ["Tracers"],
        ["Tools"],
        ["Sessions"],
        ["Pictures"],
    ];

    [Fact]
    public void NoFolderUsesOneAfterIt()
    {
        var backwards = Uses()
            .Where(u => RankOf(u.To) > RankOf(u.From))
            .Select(u => $"{u.File} ({u.From}) uses {u.To}, which comes after {u.From}")
            .ToList();
        Assert.True(backwards.Count == 0, "Folders used out of order (README, Layout):\n" + string.Join("\n", backwards));
    }

    [Fact]
    public void EveryFolderHasAPlace()
    {
        string[] unplaced = Directory.GetDirectories(CoreDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(d => d is not ("bin" or "obj") && Directory.EnumerateFiles(Path.Combine(CoreDirectory, d), "*.cs", SearchOption.AllDirectories).Any())
            .Where(d => RankOf(d) == int.MaxValue)
            .ToArray();
        Assert.True(unplaced.Length == 0, "Add these folders to FolderOrderTests.Order and README's Layout: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void TheCheckSeesUses()
    {
        // The reader itself must find uses, or the order test would pass on nothing: every watcher uses Records.
        Assert.Contains(Uses(), u => u.From == "Tools" && u.To == "Records");
    }

    internal static string CoreDirectory => Path.Combine(Path.GetDirectoryName(Fixtures.Dir)!, "..", "src", "PSTrace.Core");

    /// <summary>(file, its folder, a folder it uses) for every use of another engine folder.</summary>
    internal static List<(string File, string From, string To)> Uses()
    {
        List<(string Relative, string Folder, string Code)> files = SourceFiles().ToList();

        // "Native.Errno.EBUSY" inside PSTrace.Core.Probes names a type through the parent namespace; "Text.AsSpan()" is
        // a property. Told apart by the types each folder declares.
        var declared = files
            .SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => (f.Folder, Type: m.Groups[1].Value)))
            .ToHashSet();

        var uses = new List<(string, string, string)>();
        foreach ((string relative, string from, string code) in files)
        {
            IEnumerable<string> used = UsingLine().Matches(code).Concat(QualifiedName().Matches(code)).Select(m => m.Groups[1].Value)
                .Concat(FolderQualifiedName().Matches(code).Where(m => declared.Contains((m.Groups[1].Value, m.Groups[2].Value))).Select(m => m.Groups[1].Value));
            foreach (string to in used.Distinct())
            {
                if (to != from)
                {
                    uses.Add((relative, from, to));
                }
            }
        }

        return uses;
    }

    private static IEnumerable<(string Relative, string Folder, string Code)> SourceFiles()
    {
        foreach (string path in Directory.EnumerateFiles(CoreDirectory, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(CoreDirectory, path).Replace('\\', '/');
            int slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (relative, relative[..slash], StringLiteral().Replace(LineComment().Replace(File.ReadAllText(path), ""), "\"\""));
        }
    }

    private static int RankOf(string folder)
    {
        int rank = Array.FindIndex(Order, place => place.Contains(folder, StringComparer.Ordinal));
        return rank < 0 ? int.MaxValue : rank;
    }

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?PSTrace\.Core\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])(?:PSTrace\.)?Core\.(\w+)\.\w")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex FolderQualifiedName();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum)\s+(?:struct\s+|class\s+)?([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"""(?:\\.|[^""\\\n])*""")]
    private static partial Regex StringLiteral();
}
