using System.Globalization;
using PSTrace.Core.Formats;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Records;
using PSTrace.Core.Streaming;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;
using PSTrace.Tests.Probes;

namespace PSTrace.Tests.Streaming;

/// <summary>
/// Uprobe and uretprobe hits (libc's getaddrinfo with its node string, and its return value) read
/// live through trace_pipe_raw, against the kernel's text of the same hits; a string the kernel cannot
/// fetch (the first bytes of "localhost" taken as a pointer) reads as "(fault)" on both paths. Works in its own instance
/// and the probes_test group, and removes both whatever happens.
/// </summary>
public sealed class RawProbeEventsLiveTests
{
    private const string Root = "/sys/kernel/tracing";

    [NeedsUprobesFact]
    public void ProbeHitsHaveTheSameFieldsAsInTheText()
    {
        string tag = "raw" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var resolver = new UprobeResolver();
        var point = resolver.Resolve("libc.so.6", "getaddrinfo").ToProbePoint();
        var definitions = new[]
        {
            ProbeDefinition.Create(ProbeKind.Uprobe, point, "gai_" + tag, "probes_test", ["node=+0(%di):string", "flags=+8(%dx):s32", "bad=+0(+0(%di)):string"]),
            ProbeDefinition.Create(ProbeKind.Uretprobe, point, "gai_ret_" + tag, "probes_test", ["r=$retval:s32"]),
        };
        string instance = "probes-" + tag;
        string dir = Path.Combine(Root, "instances", instance);
        var created = new List<ProbeDefinition>();
        try
        {
            foreach (ProbeDefinition d in definitions)
            {
                File.AppendAllText(Path.Combine(Root, "uprobe_events"), d + "\n");
                created.Add(d);
            }

            Directory.CreateDirectory(dir);
            foreach (ProbeDefinition d in definitions)
            {
                File.WriteAllText(Path.Combine(dir, "events", d.Group, d.Event, "enable"), "1");
            }

            ToolRunner.Run("getent", "ahosts", "localhost");
            File.WriteAllText(Path.Combine(dir, "tracing_on"), "0");

            EventFormatCatalog formats = EventFormatCatalog.Load(Path.Combine(Root, "events"));
            List<TraceEvent> text;
            using (var reader = new StringReader(File.ReadAllText(Path.Combine(dir, "trace"))))
            {
                text = TraceTextReader.Read(reader, formats).OfType<TraceEvent>().Where(e => e.System == "probes_test").ToList();
            }

            TraceBuffer buffer = Core.Tracefs.Tracefs.At(Root).Buffer(instance);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var raw = new List<TraceEvent>();
            foreach (object o in new RawTraceReader(buffer, formats).Read(stop.Token))
            {
                if (o is TraceEvent { System: "probes_test" } e)
                {
                    raw.Add(e);
                }

                if (raw.Count == text.Count)
                {
                    break;
                }
            }

            Assert.True(text.Count >= 2, "getent must have called getaddrinfo and returned");
            Assert.Equal(text.Count, raw.Count);
            for (int i = 0; i < raw.Count; i++)
            {
                Assert.Equal(text[i].Name, raw[i].Name);
                Assert.Equal(text[i].ProcessId, raw[i].ProcessId);
                foreach ((string name, object? value) in text[i].Fields)
                {
                    object? other = raw[i].Fields[name];
                    Assert.True(value?.GetType() == other?.GetType() && Equals(value, other), $"{raw[i].Name}.{name}: text {value} ({value?.GetType().Name}), binary {other} ({other?.GetType().Name})");
                }
            }

            TraceEvent call = raw.First(e => e.Name == definitions[0].Event);
            Assert.Equal("localhost", call.Fields["node"]);
            Assert.IsType<ulong>(call.Fields["__probe_ip"]);
            Assert.Equal(EventBodyDecoder.Fault, call.Fields["bad"]);
            Assert.IsType<ProbeFault>(ProbeHitParser.FromFields(definitions[0], call.Fields).Arguments["bad"]);
            Assert.IsType<long>(raw.First(e => e.Name == definitions[1].Event).Fields["r"]);
        }
        finally
        {
            LiveProbeCleanup.Remove(Root, instance, created);
        }

        Assert.DoesNotContain("_" + tag + " ", File.ReadAllText(Path.Combine(Root, "uprobe_events")), StringComparison.Ordinal);
    }
}
