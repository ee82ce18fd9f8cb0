using System.Globalization;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;

namespace PSTrace.Tests.Probes;

/// <summary>
/// The kernel has the last word on an offset: a uprobe at the resolved offset must fire when the program runs.
/// Works in its own instance and the probes_test group, and removes both whatever happens.
/// </summary>
public sealed class LiveUprobeTests
{
    private const string Tracefs = "/sys/kernel/tracing";

    [NeedsUprobesFact]
    public void Probes_at_resolved_offsets_fire_in_the_kernel()
    {
        Assert.Null(NeedsUprobesFactAttribute.Reason());
        TestPrograms programs = TestPrograms.Instance ?? throw new InvalidOperationException(TestPrograms.MissingReason);
        var resolver = new UprobeResolver();
        string tag = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var definitions = new[]
        {
            ProbeDefinition.Create(ProbeKind.Uprobe, resolver.Resolve(programs.NonPie, "pstrace_target").ToProbePoint(), "nopie_" + tag, "probes_test", ["x=%di:s64"]),
            ProbeDefinition.Create(ProbeKind.Uretprobe, resolver.Resolve(programs.Pie, "pstrace_target").ToProbePoint(), "pie_ret_" + tag, "probes_test", ["r=$retval:s64"]),
            ProbeDefinition.Create(ProbeKind.Uprobe, resolver.Resolve("libc.so.6", "getaddrinfo").ToProbePoint(), "gai_" + tag, "probes_test", ["node=+0(%di):string"]),
        };
        string instance = Path.Combine(Tracefs, "instances", "probes-" + tag);
        var created = new List<ProbeDefinition>();
        try
        {
            foreach (ProbeDefinition d in definitions)
            {
                File.AppendAllText(Path.Combine(Tracefs, "uprobe_events"), d + "\n");
                created.Add(d);
            }

            Directory.CreateDirectory(instance);
            foreach (ProbeDefinition d in definitions)
            {
                File.WriteAllText(Path.Combine(instance, "events", d.Group, d.Event, "enable"), "1");
            }

            ToolRunner.Run(programs.NonPie, "14");
            ToolRunner.Run(programs.Pie, "5");
            ToolRunner.Run("getent", "ahosts", "localhost");
            foreach (ProbeDefinition d in definitions)
            {
                File.WriteAllText(Path.Combine(instance, "events", d.Group, d.Event, "enable"), "0");
            }

            string trace = File.ReadAllText(Path.Combine(instance, "trace"));
            Assert.Equal(14L, Hit(trace, definitions[0]).Arguments["x"]);
            Assert.Equal(16L, Hit(trace, definitions[1]).Arguments["r"]);
            Assert.Equal("localhost", Hit(trace, definitions[2]).Arguments["node"]);
        }
        finally
        {
            LiveProbeCleanup.Remove(Tracefs, Path.GetFileName(instance), created);
        }

        Assert.DoesNotContain("_" + tag + " ", File.ReadAllText(Path.Combine(Tracefs, "uprobe_events")), StringComparison.Ordinal);
    }

    private static ProbeHit Hit(string trace, ProbeDefinition d)
    {
        string marker = " " + d.Event + ": ";
        string line = trace.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No hit of {d.FullName} in the trace:\n{trace}");
        return ProbeHitParser.Parse(d, line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]);
    }
}
