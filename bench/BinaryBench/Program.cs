using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BinaryBench;
using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Binary.TraceDat;

// Runs the benchmarks, then turns BenchmarkDotNet's per-operation numbers into per-event ones and
// times `trace-cmd report` on the same files for a ratio.
Summary summary = BenchmarkRunner.Run<DecodeBenchmarks>(args: args);

var events = new Dictionary<string, int>();
foreach (string file in BenchFiles.TraceDat())
{
    using TraceDatFile dat = TraceDatFile.Open(file);
    events[file] = dat.ReadEvents().Count();
}

string pagesDir = Path.Combine(BenchFiles.FixtureDir, "pages");
int pageEvents = new RingBufferPageDecoder(
        RingBufferLayout.Parse(File.ReadAllText(Path.Combine(pagesDir, "header_page"))),
        EventFormatCatalog.Load(Path.Combine(pagesDir, "events")))
    .ReadPages(File.OpenRead(Path.Combine(pagesDir, "cpu0.raw")), 0).Count();

Console.WriteLine();
Console.WriteLine("| Benchmark | File | Events | Mean | Events/s | Bytes allocated/event | trace-cmd report | Ratio |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (BenchmarkReport report in summary.Reports)
{
    if (report.ResultStatistics is null)
    {
        continue;
    }

    string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
    string file = (string)report.BenchmarkCase.Parameters["File"];
    bool pages = method == "DecodeRawPages";
    if (pages && file != BenchFiles.TraceDat().First())
    {
        continue; // the same pages for every file parameter
    }

    int n = pages ? pageEvents : events[file];
    double meanNs = report.ResultStatistics.Mean;
    long bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
    double perSecond = n / (meanNs / 1e9);
    string reference = "", ratio = "";
    if (!pages && TraceCmdReportSeconds(file) is double seconds)
    {
        reference = seconds.ToString("0.000 s", CultureInfo.InvariantCulture);
        ratio = (seconds / (meanNs / 1e9)).ToString("0.0x", CultureInfo.InvariantCulture);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {method} | {(pages ? "pages/cpu0.raw" : Path.GetFileName(file))} | {n} | {meanNs / 1e6:0.000} ms | {perSecond:#,0} | {(double)bytes / n:0} | {reference} | {ratio} |"));
}

// The best of three runs of `trace-cmd report -i FILE > /dev/null`, or null without trace-cmd.
static double? TraceCmdReportSeconds(string file)
{
    if (!File.Exists("/usr/bin/trace-cmd"))
    {
        return null;
    }

    double best = double.MaxValue;
    for (int i = 0; i < 3; i++)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("trace-cmd report -i \"$0\" > /dev/null 2>&1");
        psi.ArgumentList.Add(file);
        var watch = Stopwatch.StartNew();
        using Process p = Process.Start(psi)!;
        p.WaitForExit();
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }

    return best;
}
