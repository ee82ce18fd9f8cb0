using PSTrace.Core.Probes;

namespace PSTrace.Tests.Probes;

/// <summary>Parsing, formatting and the checks that keep stray input from reaching a control file.</summary>
public sealed class ProbeDefinitionTests
{
    [Theory]
    [InlineData("p:listenprobe sys_listen sd=%di", "p:kprobes/listenprobe sys_listen sd=%di", ProbeKind.Kprobe)]
    [InlineData("r:bash_rl /bin/bash:0x8d2a0 line=+0($retval):string", "r:uprobes/bash_rl /bin/bash:0x8d2a0 line=+0($retval):string", ProbeKind.Uretprobe)]
    [InlineData("p:g/e /bin/bash:0x1234%return", "r:g/e /bin/bash:0x1234", ProbeKind.Uretprobe)]
    [InlineData("p /bin/bash:4660(0x10) a=%di", "p:uprobes/p_bash_0x1234 /bin/bash:0x1234(0x10) a=%di", ProbeKind.Uprobe)]
    [InlineData("r10:kprobes/myret do_sys_open", "r10:kprobes/myret do_sys_open", ProbeKind.Kretprobe)]
    [InlineData("p vfs_read+4 x=+u8(%si):u32", "p:kprobes/p_vfs_read_4 vfs_read+4 x=+u8(%si):u32", ProbeKind.Kprobe)]
    [InlineData("p ext4:ext4_sync_fs $arg1 $stack3", "p:kprobes/p_ext4_ext4_sync_fs_0 ext4:ext4_sync_fs arg1=$arg1 arg2=$stack3", ProbeKind.Kprobe)]
    public void Parses_and_formats_the_line_to_write(string line, string written, ProbeKind kind)
    {
        ProbeDefinition d = ProbeDefinition.Parse(line);
        Assert.Equal(kind, d.Kind);
        Assert.Equal(written, d.ToString());
        Assert.Equal(written, ProbeDefinition.Parse(written).ToString());
    }

    [Theory]
    [InlineData("p:a/b /bin/bash:0x10 x=%di\n-:uprobes/other", ProbeErrorCode.LineBreak, 26)]
    [InlineData("p:a/b /bin/bash:0x10 x=%di # comment", ProbeErrorCode.CommentCharacter, 27)]
    [InlineData("p:a/b /bin/bash:0x10 x=%di;", ProbeErrorCode.Semicolon, 26)]
    [InlineData("p:a/b /bin/bash:0x10 x=\u0001", ProbeErrorCode.ControlCharacter, 23)]
    [InlineData("-:uprobes/x", ProbeErrorCode.RemovalNotAllowed, 0)]
    [InlineData("p:a/b /bin/bash:0x10 x=%rdi", ProbeErrorCode.BadRegName, 23)]
    [InlineData("p:a/b /bin/bash:0x10 $arg1", ProbeErrorCode.NofentryArgs, 21)]
    [InlineData("p:a/b vfs_read+8 $arg1", ProbeErrorCode.NofentryArgs, 17)]
    [InlineData("p:a/b /bin/bash:0x10 x=$retval", ProbeErrorCode.RetvalOnProbe, 23)]
    [InlineData("p:a/b /bin/bash:0x10 x=%di y=%si x=%dx", ProbeErrorCode.UsedArgName, 33)]
    [InlineData("p:a/b /bin/bash:0x10 common_pid=%di", ProbeErrorCode.UsedArgName, 21)]
    [InlineData("p:a/b /bin/bash:0x10 x=+0(%di):u8[65]", ProbeErrorCode.ArrayTooBig, 34)]
    [InlineData("p:a/b /bin/bash:0x10 x=%di:symbol", ProbeErrorCode.BadType, 27)]
    [InlineData("p:a/b /bin/bash:0x10 x=+0(%di)+8", ProbeErrorCode.DerefTrailingText, 30)]
    [InlineData("r5:a/b /bin/bash:0x10", ProbeErrorCode.BadMaxactType, 1)]
    [InlineData("p:a/b bash:0x10", ProbeErrorCode.BadProbeAddr, 6)]
    [InlineData("p:a/b ./bash:0x10", ProbeErrorCode.PathNotAbsolute, 6)]
    [InlineData("p:a/b /bin/bash:readline", ProbeErrorCode.BadUprobeOffs, 16)]
    [InlineData("p 0xffffffff81000000", ProbeErrorCode.EventNameRequired, 0)]
    public void Refuses_with_the_offending_position(string line, ProbeErrorCode code, int position)
    {
        ProbeValidationException e = Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Parse(line));
        Assert.Equal(code, e.Code);
        Assert.Equal(position, e.Position);
        Assert.DoesNotContain('\n', e.Message.Split(Environment.NewLine)[1]);
    }

    [Fact]
    public void Too_many_arguments_are_refused()
    {
        string line = "p:a/b /bin/bash:0x10 " + string.Join(' ', Enumerable.Range(0, 129).Select(i => $"a{i}=%di"));
        Assert.Equal(ProbeErrorCode.TooManyArgs, Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Parse(line)).Code);
    }

    [Fact]
    public void Paths_with_spaces_are_refused_with_a_way_out()
    {
        ProbeValidationException e = Assert.Throws<ProbeValidationException>(() => UserProbePoint.Create("/opt/my app/bin", 0x10));
        Assert.Equal(ProbeErrorCode.PathHasSpace, e.Code);
        Assert.Contains("symlink", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_made_in_code_are_checked_like_parsed_ones()
    {
        var place = UserProbePoint.Create("/bin/bash", 0xc6c20);
        Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Create(ProbeKind.Uprobe, place, "ok", "g", ["x=$retval"]));
        Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Create(ProbeKind.Uprobe, place, "bad\n-:g/x", "g"));
        Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Create(ProbeKind.Uprobe, place, "ok", "g", ["x=%di y=%si"]));
        Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Create(ProbeKind.Kretprobe, KernelProbePoint.AtSymbol("vfs_read", 8)));
        Assert.Equal("-:g/ok", ProbeDefinition.Create(ProbeKind.Uprobe, place, "ok", "g").Removal().ToString());
        Assert.Equal(new string('e', 63), ProbeDefinition.Create(ProbeKind.Uprobe, place, new string('e', 63)).Event);
        Assert.Equal(ProbeErrorCode.EventTooLong, Assert.Throws<ProbeValidationException>(() => ProbeDefinition.Create(ProbeKind.Uprobe, place, new string('e', 64))).Code);
    }

    [Fact]
    public void Removals_parse_with_or_without_a_group()
    {
        Assert.Equal("-:g/e", ProbeRemoval.Parse("-:g/e").ToString());
        Assert.Null(ProbeRemoval.Parse("-:e").Group);
        Assert.Throws<ProbeValidationException>(() => ProbeRemoval.Parse("-:g/"));
    }
}
