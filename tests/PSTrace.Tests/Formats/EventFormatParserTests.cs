using PSTrace.Core.Formats;

namespace PSTrace.Tests.Formats;

/// <summary>The format parser over the real format files captured from 6.18.</summary>
public class EventFormatParserTests
{
    public static TheoryData<string> AllFormats() => new(
        Directory.GetFiles(Fixtures.PathOf("6.18/formats"), "format", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Fixtures.Dir, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    private static EventFormat Parse(string system, string name) =>
        EventFormatParser.Parse(Fixtures.Text($"6.18/formats/{system}/{name}/format"), system);

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void EveryFormatParsesWithTheCommonHeaderAndOrderedFields(string file)
    {
        string[] parts = file.Split('/');
        string system = parts[^3], name = parts[^2];
        string text = Fixtures.Text(file);
        EventFormat f = EventFormatParser.Parse(text, system);

        Assert.Equal(name, f.Name);
        Assert.Equal(system, f.System);
        Assert.True(f.Id > 0);
        Assert.Equal(["common_type", "common_flags", "common_preempt_count", "common_pid"], f.CommonFields.Select(c => c.Name));
        Assert.Equal((0, 2, false), (f.CommonFields[0].Offset, f.CommonFields[0].Size, f.CommonFields[0].IsSigned));
        Assert.Equal((4, 4, true), (f.CommonFields[3].Offset, f.CommonFields[3].Size, f.CommonFields[3].IsSigned));

        // As many own fields as the file has "field:" lines after the common ones, laid out without overlap.
        int fieldLines = text.Split('\n').Count(l => l.TrimStart().StartsWith("field:", StringComparison.Ordinal));
        Assert.Equal(fieldLines - 4, f.Fields.Count);
        for (int i = 1; i < f.Fields.Count; i++)
        {
            Assert.True(f.Fields[i - 1].Offset + f.Fields[i - 1].Size <= f.Fields[i].Offset, $"{f.Fields[i - 1]} overlaps {f.Fields[i]}");
        }

        Assert.True(f.Fields[0].Offset >= 8);
        Assert.NotEmpty(f.PrintFormat);
        Assert.DoesNotContain("print fmt", f.PrintFormat, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockIssueCharArraysAndDataLoc()
    {
        EventFormat f = Parse("block", "block_rq_issue");

        Assert.Equal(2104, f.Id);
        FormatField rwbs = f.Field("rwbs")!;
        Assert.Equal((34, 10, FieldLayout.Array, 10, true), (rwbs.Offset, rwbs.Size, rwbs.Layout, rwbs.ArrayLength, rwbs.IsString));
        FormatField comm = f.Field("comm")!;
        Assert.Equal((44, 16, 16, "char"), (comm.Offset, comm.Size, comm.ArrayLength, comm.Type));
        FormatField cmd = f.Field("cmd")!;
        Assert.Equal((60, 4, FieldLayout.DataLoc, true), (cmd.Offset, cmd.Size, cmd.Layout, cmd.IsString));
        FormatField sector = f.Field("sector")!;
        Assert.Equal(("sector_t", 16, 8, false, FieldLayout.Scalar), (sector.Type, sector.Offset, sector.Size, sector.IsSigned, sector.Layout));
        FormatField dev = f.Field("dev")!;
        Assert.Equal(("dev_t", 8, 4, false), (dev.Type, dev.Offset, dev.Size, dev.IsSigned));
        Assert.Equal(("unsigned short", 32, 2), (f.Field("ioprio")!.Type, f.Field("ioprio")!.Offset, f.Field("ioprio")!.Size));
        Assert.Equal("%d,%d %s %u (%s) %llu + %u %s,%u,%u [%s]", f.PrintFormat);
        Assert.StartsWith("((unsigned int) ((REC->dev) >> 20))", f.PrintArguments, StringComparison.Ordinal);
    }

    [Fact]
    public void SchedSwitchSignedScalars()
    {
        EventFormat f = Parse("sched", "sched_switch");

        Assert.Equal(["prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "next_pid", "next_prio"], f.Fields.Select(x => x.Name));
        Assert.Equal(("pid_t", 24, 4, true), (f.Field("prev_pid")!.Type, f.Field("prev_pid")!.Offset, f.Field("prev_pid")!.Size, f.Field("prev_pid")!.IsSigned));
        Assert.Equal(("long", 32, 8, true), (f.Field("prev_state")!.Type, f.Field("prev_state")!.Offset, f.Field("prev_state")!.Size, f.Field("prev_state")!.IsSigned));
        Assert.Equal((8, 16, FieldLayout.Array), (f.Field("prev_comm")!.Offset, f.Field("prev_comm")!.ArrayLength, f.Field("prev_comm")!.Layout));
    }

    [Fact]
    public void RawSyscallArgumentArray()
    {
        FormatField args = Parse("raw_syscalls", "sys_enter").Field("args")!;

        Assert.Equal(("unsigned long", 16, 48, 6, 8, false, false), (args.Type, args.Offset, args.Size, args.ArrayLength, args.ElementSize, args.IsSigned, args.IsString));
    }

    [Fact]
    public void SyscallFieldsAsTheKernelDeclaresThem()
    {
        EventFormat enter = Parse("syscalls", "sys_enter_openat");
        EventFormat exit = Parse("syscalls", "sys_exit_openat");

        Assert.Equal(["__syscall_nr", "dfd", "filename", "flags", "mode"], enter.Fields.Select(x => x.Name));
        // 6.18 declares dfd "int" but 8 bytes wide and unsigned.
        Assert.Equal(("int", 16, 8, false), (enter.Field("dfd")!.Type, enter.Field("dfd")!.Offset, enter.Field("dfd")!.Size, enter.Field("dfd")!.IsSigned));
        Assert.True(enter.Field("filename")!.IsPointer);
        Assert.Equal(("long", 16, 8, true), (exit.Field("ret")!.Type, exit.Field("ret")!.Offset, exit.Field("ret")!.Size, exit.Field("ret")!.IsSigned));
        Assert.Equal("0x%lx", exit.PrintFormat);
    }

    [Fact]
    public void UprobeFormatWithEscapedQuotesAndAnUnsizedArray()
    {
        EventFormat f = Parse("text_fixture", "libc_open");

        Assert.Equal(["__probe_ip", "path", "flags", "bad", "comm", "stack"], f.Fields.Select(x => x.Name));
        FormatField path = f.Field("path")!;
        Assert.Equal((FieldLayout.DataLoc, true, true), (path.Layout, path.IsSigned, path.IsString));
        Assert.Equal(("u32", 20, 4, false), (f.Field("flags")!.Type, f.Field("flags")!.Offset, f.Field("flags")!.Size, f.Field("flags")!.IsSigned));
        FormatField stack = f.Field("stack")!;
        Assert.Equal(("u64", FieldLayout.Array, 16, 2, 8), (stack.Type, stack.Layout, stack.Size, stack.ArrayLength, stack.ElementSize));
        Assert.Equal("(%lx) path=\"%s\" flags=0x%x bad=\"%s\" comm=\"%s\" stack={0x%Lx,0x%Lx}", f.PrintFormat);
    }

    [Fact]
    public void UretprobeAddresses()
    {
        EventFormat f = Parse("text_fixture", "libc_open_ret");

        Assert.Equal(["__probe_func", "__probe_ret_ip", "fd"], f.Fields.Select(x => x.Name));
        Assert.Equal(("s32", 24, 4, true), (f.Field("fd")!.Type, f.Field("fd")!.Offset, f.Field("fd")!.Size, f.Field("fd")!.IsSigned));
    }

    [Fact]
    public void SignalGeneratePrintFormatAndArguments()
    {
        EventFormat f = Parse("signal", "signal_generate");

        Assert.Equal("sig=%d errno=%d code=%d comm=%s pid=%d grp=%d res=%d", f.PrintFormat);
        Assert.Equal("REC->sig, REC->errno, REC->code, REC->comm, REC->pid, REC->group, REC->result", f.PrintArguments);
    }
}
