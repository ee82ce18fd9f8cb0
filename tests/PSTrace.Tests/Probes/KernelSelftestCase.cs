using PSTrace.Core.Probes;

namespace PSTrace.Tests.Probes;

/// <summary>One row of kernel-selftest-probe-cases.tsv: a definition from the kernel's ftrace selftests and what the kernel does with it.</summary>
public sealed class KernelSelftestCase
{
    private KernelSelftestCase(string[] c)
    {
        File = c[0];
        Line = int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture);
        IsRemoval = c[2] == "remove";
        KernelAccepts = c[3] == "accept";
        KernelError = c[4];
        Judge = c[5];
        Caret = c[6].IndexOf('^', StringComparison.Ordinal);
        Command = c[6].Replace("^", "", StringComparison.Ordinal);
        Note = c[7];
    }

    public string File { get; }
    public int Line { get; }
    public bool IsRemoval { get; }
    public bool KernelAccepts { get; }
    public string KernelError { get; }

    /// <summary>syntax, kernel-only or pstrace-refuses.</summary>
    public string Judge { get; }

    /// <summary>Where the kernel's error_log caret goes (index into <see cref="Command"/>); -1 when the selftest does not say.</summary>
    public int Caret { get; }
    public string Command { get; }
    public string Note { get; }

    public string Id => $"{Path.GetFileName(File)}:{Line} {Command}";

    public static IReadOnlyList<KernelSelftestCase> All { get; } = Load();

    /// <summary>What PSTrace's parser says: null when it accepts, else its error.</summary>
    public ProbeValidationException? Check()
    {
        try
        {
            if (IsRemoval)
            {
                _ = ProbeRemoval.Parse(Command);
            }
            else
            {
                _ = ProbeDefinition.Parse(Command).ToString();
                _ = ProbeDefinitionParser.Parse(Command, checkFiles: true);
            }

            return null;
        }
        catch (ProbeValidationException e)
        {
            return e;
        }
    }

    public override string ToString() => Id;

    private static List<KernelSelftestCase> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Probes", "kernel-selftest-probe-cases.tsv");
        return System.IO.File.ReadAllLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("file\t", StringComparison.Ordinal))
            .Select(l => new KernelSelftestCase(l.Split('\t')))
            .ToList();
    }
}
