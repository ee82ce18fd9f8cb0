using System.Diagnostics;

namespace PSTrace.Tests.Probes;

/// <summary>Runs a command-line tool (readelf, gcc, the probed programs) and returns what it printed.</summary>
internal static class ToolRunner
{
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {error}");
        }

        return output;
    }

    public static bool Exists(string file) => File.Exists(file) || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, file)));
}

/// <summary>
/// A small C program built with gcc twice, as a PIE and as a non-PIE (ET_EXEC) executable, so offsets can be
/// checked for both layouts and a live probe has a function with a known argument and return value.
/// </summary>
internal sealed class TestPrograms
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        __attribute__((noinline)) long pstrace_target(long x) { return x * 3 + 1; }
        int main(int argc, char **argv) { long v = argc > 1 ? atol(argv[1]) : 7; printf("%ld\n", pstrace_target(v)); return 0; }
        """;

    private static readonly Lazy<TestPrograms?> Built = new(Build);

    private TestPrograms(string pie, string nonPie)
    {
        Pie = pie;
        NonPie = nonPie;
    }

    public string Pie { get; }

    public string NonPie { get; }

    /// <summary>The programs, or null when gcc is missing (then the reason is in <see cref="MissingReason"/>).</summary>
    public static TestPrograms? Instance => Built.Value;

    public static string MissingReason => "gcc is not installed (apt-get install gcc)";

    private static TestPrograms? Build()
    {
        if (!ToolRunner.Exists("gcc"))
        {
            return null;
        }

        string dir = Path.Combine(Path.GetTempPath(), "pstrace-probe-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string src = Path.Combine(dir, "target.c");
        File.WriteAllText(src, Source);
        string pie = Path.Combine(dir, "target-pie");
        string nonPie = Path.Combine(dir, "target-nopie");
        ToolRunner.Run("gcc", "-O1", "-fPIE", "-pie", "-o", pie, src);
        ToolRunner.Run("gcc", "-O1", "-fno-pie", "-no-pie", "-o", nonPie, src);
        return new TestPrograms(pie, nonPie);
    }
}
