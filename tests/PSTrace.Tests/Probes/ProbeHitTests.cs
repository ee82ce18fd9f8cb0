using PSTrace.Core.Probes;

namespace PSTrace.Tests.Probes;

/// <summary>Hits parsed from real trace output: 6.18 captures (tests/fixtures/6.18) and perf-tools' examples.</summary>
public sealed class ProbeHitTests
{
    private static readonly IReadOnlyList<ProbeListingEntry> Listing = ProbeListingParser.Parse(Fixtures.Text("6.18/uprobe-listing.txt"));

    private static string Body(string file, string eventName, int nth = 0) =>
        Fixtures.Text(file).Split('\n').Where(l => l.Contains(" " + eventName + ": (", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(" " + eventName + ": ", StringComparison.Ordinal) + eventName.Length + 3)..]).ElementAt(nth);

    private static ProbeDefinition Def(string eventName) => Listing.Single(e => e.Event == eventName).Definition!;

    [Fact]
    public void The_6_18_listing_reads_back_as_definitions()
    {
        Assert.Equal(4, Listing.Count);
        Assert.All(Listing, e => Assert.Null(e.Problem));
        ProbeListingEntry rl = Listing[0];
        Assert.Equal(ProbeKind.Uretprobe, rl.Kind);
        Assert.Equal("probes_test", rl.Group);
        Assert.Equal(0xc6c20UL, rl.Definition!.UserPoint!.Offset);
        Assert.Equal("r:probes_test/cap_rl /bin/bash:0xc6c20 line=+0($retval):string", rl.Definition.ToString());
    }

    [Fact]
    public void A_uretprobe_string_with_inner_quotes_is_kept_whole()
    {
        ProbeHit hit = ProbeHitParser.Parse(Def("cap_rl"), Body("6.18/uprobe-trace.txt", "cap_rl"));
        Assert.Equal(ProbeKind.Uretprobe, hit.Kind);
        Assert.Equal(0x557a74b2fc20UL, hit.Address);
        Assert.Equal(0x557a74a9bfe2UL, hit.ReturnAddress);
        Assert.Equal("echo \"hello world\"", hit.Arguments["line"]);
    }

    [Fact]
    public void A_failed_fetch_is_a_fault_marker()
    {
        ProbeHit hit = ProbeHitParser.Parse(Def("cap_gai"), Body("6.18/uprobe-trace.txt", "cap_gai"));
        Assert.Equal(["node", "service"], hit.Arguments.Keys);
        Assert.Equal("localhost", hit.Arguments["node"]);
        Assert.Same(ProbeFault.Instance, hit.Arguments["service"]);
    }

    [Fact]
    public void Numbers_are_converted_by_declared_type()
    {
        ProbeHit hit = ProbeHitParser.Parse(Def("cap_tgt"), Body("6.18/uprobe-trace.txt", "cap_tgt"));
        Assert.Equal(0x401136UL, hit.Address);
        Assert.Equal(14L, hit.Arguments["x"]);
        Assert.Equal(0xeUL, hit.Arguments["xx"]);
        Assert.Equal(0x7ffd6f9c15f8UL, hit.Arguments["sp"]);
        Assert.Same(ProbeFault.Instance, hit.Arguments["bad"]);
        Assert.Equal("target-nopie", hit.Arguments["comm"]);

        ProbeHit ret = ProbeHitParser.Parse(Def("cap_tgt_ret"), Body("6.18/uprobe-trace.txt", "cap_tgt_ret"));
        Assert.Equal(43UL, ret.Arguments["ret"]);
        Assert.Equal(0x401151UL, ret.ReturnAddress);
    }

    [Fact]
    public void Perf_tools_uprobe_examples_parse()
    {
        var def = ProbeDefinition.Parse("r:readline /bin/bash:0x8db60 +0($retval):string");
        string line = Fixtures.Text("perf-tools-examples/uprobe_example.txt").Split('\n').First(l => l.Contains("hello world", StringComparison.Ordinal) && l.Contains(" <- ", StringComparison.Ordinal));
        ProbeHit hit = ProbeHitParser.Parse(def, line[(line.IndexOf("readline: ", StringComparison.Ordinal) + 10)..]);
        Assert.Equal("echo \"hello world\"", hit.Arguments["arg1"]);
        Assert.Equal(0x41e876UL, hit.ReturnAddress);

        var sleep = ProbeDefinition.Parse("p:sleep /lib/x86_64-linux-gnu/libc-2.15.so:0xbf130 %di");
        Assert.Equal(0x5UL, ProbeHitParser.Parse(sleep, "(0x7f2dba562130) arg1=0x5").Arguments["arg1"]);
    }

    [Fact]
    public void Perf_tools_kretprobe_example_keeps_symbols()
    {
        var def = ProbeDefinition.Parse("r:myopen do_sys_open $retval");
        string body = Fixtures.Text("perf-tools-examples/kprobe_example.txt").Split('\n').First(l => l.Contains("myopen: (", StringComparison.Ordinal));
        ProbeHit hit = ProbeHitParser.Parse(def, body[(body.IndexOf("myopen: ", StringComparison.Ordinal) + 8)..]);
        Assert.Equal("do_sys_open", hit.Symbol);
        Assert.Equal("SyS_open+0x1e/0x20", hit.ReturnSymbol);
        Assert.Equal(3UL, hit.Arguments["arg1"]);
    }

    [Fact]
    public void Arrays_and_chars_convert_element_by_element()
    {
        var def = ProbeDefinition.Parse("p:t/e vfs_read a=+0(%di):u8[3] c=+0(%si):char s=+0(%dx):string[2]");
        ProbeHit hit = ProbeHitParser.Parse(def, "(vfs_read+0x0/0x1a0) a={1,2,3} c='x' s={\"ab\",\"c d\"}");
        Assert.Equal(new object[] { 1UL, 2UL, 3UL }, (object[])hit.Arguments["a"]!);
        Assert.Equal('x', hit.Arguments["c"]);
        Assert.Equal(new object[] { "ab", "c d" }, (object[])hit.Arguments["s"]!);
        Assert.Equal("vfs_read+0x0/0x1a0", hit.Symbol);
    }
}
