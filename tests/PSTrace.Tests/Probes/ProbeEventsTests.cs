using PSTrace.Core.Probes;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Probes;

/// <summary>
/// Listing, creating and removing probes against a directory standing in for tracefs, its uprobe_events holding a
/// real 6.18 listing (fixtures/6.18/uprobe-listing.txt). The kernel's side (refusals, EBUSY) is tested live in Pester.
/// </summary>
public sealed class ProbeEventsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-fake-probes-").FullName;
    private readonly Core.Tracefs.Tracefs _fs;

    public ProbeEventsTests()
    {
        File.Copy(Fixtures.PathOf("6.18/uprobe-listing.txt"), Path.Combine(_root, "uprobe_events"));
        _fs = Core.Tracefs.Tracefs.At(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string UprobeEvents => File.ReadAllText(Path.Combine(_root, "uprobe_events"));

    private void EnableFile(string? instance, string group, string name, string value)
    {
        string dir = instance is null ? Path.Combine(_root, "events", group, name) : Path.Combine(_root, "instances", instance, "events", group, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "enable"), value + "\n");
    }

    [Fact]
    public void Lists_every_probe_with_its_kind_place_arguments_and_where_it_is_enabled()
    {
        EnableFile(null, "probes_test", "cap_rl", "0");
        EnableFile("a", "probes_test", "cap_rl", "1");
        EnableFile("b", "probes_test", "cap_rl", "0");
        EnableFile(null, "probes_test", "cap_gai", "1");

        IReadOnlyList<TraceProbe> probes = ProbeEvents.List(_fs);

        Assert.Equal(["cap_rl", "cap_gai", "cap_tgt", "cap_tgt_ret"], probes.Select(p => p.Name));
        TraceProbe rl = probes[0];
        Assert.Equal(ProbeKind.Uretprobe, rl.Kind);
        Assert.Equal("probes_test", rl.Group);
        Assert.Equal("probes_test/cap_rl", rl.FullName);
        Assert.Equal("probes_test:cap_rl", rl.EventName);
        Assert.Equal("/bin/bash:0x00000000000c6c20", rl.Place);
        Assert.Equal(["line=+0($retval):string"], rl.Arguments);
        Assert.False(rl.EnabledAtTopLevel);
        Assert.Equal(["a"], rl.EnabledInstances);
        Assert.Equal("a", rl.DescribeEnabled());
        Assert.Equal("r:probes_test/cap_rl /bin/bash:0x00000000000c6c20 line=+0($retval):string", rl.ToString());
        Assert.Equal(0xc6c20UL, rl.ToDefinition().UserPoint!.Offset);

        TraceProbe gai = probes[1];
        Assert.Equal(ProbeKind.Uprobe, gai.Kind);
        Assert.True(gai.EnabledAtTopLevel);
        Assert.Empty(gai.EnabledInstances);
        Assert.Equal("(top level)", gai.DescribeEnabled());
        Assert.Equal(["node=+0(%di):string", "service=+0(%si):string"], gai.Arguments);
        Assert.False(probes[2].IsEnabled);
    }

    [Fact]
    public void Creating_a_probe_appends_its_definition_and_returns_it_as_listed()
    {
        ProbeDefinition d = ProbeDefinition.Parse("p:probes_test/fresh /bin/true:0x10 a=%di");
        TraceProbe p = ProbeEvents.Create(_fs, d);
        Assert.EndsWith("\np:probes_test/fresh /bin/true:0x10 a=%di\n", UprobeEvents, StringComparison.Ordinal);
        Assert.Equal("probes_test/fresh", p.FullName);
        Assert.Equal("/bin/true:0x10", p.Place);
    }

    [Fact]
    public void A_name_that_exists_is_refused_before_anything_is_written()
    {
        // The kernel would add the new place to the existing event instead of refusing.
        string before = UprobeEvents;
        var e = Assert.Throws<TraceException>(() => ProbeEvents.Create(_fs, ProbeDefinition.Parse("p:probes_test/cap_rl /bin/true:0x10")));
        Assert.Equal(TraceErrorKind.AlreadyExists, e.Kind);
        Assert.Equal("ProbeExists", e.ErrorId);
        Assert.Contains("r:probes_test/cap_rl /bin/bash", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, UprobeEvents);
    }

    [Fact]
    public void A_probe_that_cannot_be_enabled_is_removed_again()
    {
        Directory.CreateDirectory(Path.Combine(_root, "instances", "a", "events"));
        ProbeDefinition d = ProbeDefinition.Parse("r:probes_test/half /bin/true:0x10");
        var e = Assert.Throws<TraceException>(() => ProbeEvents.Create(_fs, d, _fs.Buffer("a")));
        Assert.Equal("ProbeNotEnabled", e.ErrorId);
        Assert.Equal("EventNotFound", Assert.IsType<TraceException>(e.InnerException).ErrorId);
        Assert.Contains("removed again", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("\nr:probes_test/half /bin/true:0x10\n-:probes_test/half\n", UprobeEvents, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_without_the_probe_file_cannot_create_that_kind()
    {
        var e = Assert.Throws<TraceException>(() => ProbeEvents.Create(_fs, ProbeDefinition.Parse("p:kprobes/x do_sys_openat2")));
        Assert.Equal(TraceErrorKind.NotSupported, e.Kind);
        Assert.Contains("kprobe_events", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Force_disables_the_event_in_every_buffer_before_removing()
    {
        EnableFile(null, "probes_test", "cap_rl", "1");
        EnableFile("a", "probes_test", "cap_rl", "1");
        EnableFile("b", "probes_test", "cap_rl", "0");
        TraceProbe rl = ProbeEvents.Find(_fs, "probes_test", "cap_rl")!;

        ProbeEvents.Remove(_fs, rl, force: true);

        Assert.Equal("0\n", File.ReadAllText(Path.Combine(_root, "events", "probes_test", "cap_rl", "enable")));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(_root, "instances", "a", "events", "probes_test", "cap_rl", "enable")));
        Assert.EndsWith("\n-:probes_test/cap_rl\n", UprobeEvents, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_force_nothing_is_disabled()
    {
        EnableFile("a", "probes_test", "cap_rl", "1");
        ProbeEvents.Remove(_fs, ProbeEvents.Find(_fs, "probes_test", "cap_rl")!, force: false);
        Assert.Equal("1\n", File.ReadAllText(Path.Combine(_root, "instances", "a", "events", "probes_test", "cap_rl", "enable")));
    }

    [Fact]
    public void Find_returns_null_for_a_probe_that_does_not_exist() => Assert.Null(ProbeEvents.Find(_fs, "probes_test", "nope"));
}
