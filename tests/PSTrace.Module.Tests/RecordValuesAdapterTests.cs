using System.Management.Automation;
using PSTrace.Core.Records;

namespace PSTrace.Module.Tests;

/// <summary>
/// An event's fields read as properties through the adapter, registered as PSTrace.types.ps1xml registers it,
/// in a real runspace: $e.filename works, any case works, the record's own properties win over a field of
/// the same name, and nothing can be set.
/// </summary>
public sealed class RecordValuesAdapterTests
{
    private const string Register =
        "Update-TypeData -TypeName PSTrace.Core.Records.TraceEvent -TypeAdapter PSTrace.RecordValuesAdapter -Force; ";

    [Fact]
    public void FieldsReadAsProperties()
    {
        var (output, _, errors) = RunWith(Event(), "$e.filename, $e.FILENAME, $e.flags_value");

        Assert.Empty(errors);
        Assert.Equal(["/etc/hostname", "/etc/hostname", 0L], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void TheRecordsOwnPropertiesComeFirst()
    {
        // The event has a field called "name" (sched events have "comm", "pid" and the like): $e.Name is the
        // record's own Name; the field stays in Fields.
        var (output, _, errors) = RunWith(Event(), "$e.Name; $e.Fields['name']");

        Assert.Empty(errors);
        Assert.Equal(["sys_enter_openat", "field"], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void GetMemberListsFieldsOnceBesideTheProperties()
    {
        var (output, _, errors) = RunWith(Event(), "($e | Get-Member -MemberType Properties).Name");

        Assert.Empty(errors);
        List<string> names = output.Select(o => (string)o.BaseObject).ToList();
        Assert.Contains("filename", names);
        Assert.Contains("Timestamp", names, StringComparer.OrdinalIgnoreCase);
        Assert.Single(names, n => string.Equals(n, "name", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void FieldsCannotBeSet()
    {
        var (_, _, errors) = RunWith(Event(), "$e.filename = 'x'");

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void AnUnknownNameIsNull()
    {
        var (output, _, errors) = RunWith(Event(), "$null -eq $e.no_such_field");

        Assert.Empty(errors);
        Assert.Equal(true, Assert.Single(output).BaseObject);
    }

    private static TraceEvent Event() => new(
        1_000_000, 0, 4242, 4242, "cat", "....", "syscalls", "sys_enter_openat",
        new Dictionary<string, object?> { ["filename"] = "/etc/hostname", ["flags_value"] = 0L, ["name"] = "field" },
        "filename: /etc/hostname", null);

    private static (System.Collections.ObjectModel.Collection<PSObject>, IReadOnlyList<string>, IReadOnlyList<string>) RunWith(TraceEvent e, string script)
    {
        EventHolder.Current = e;
        return Runspaces.Run(Register + "$e = Get-HeldEvent; " + script, ("Get-HeldEvent", typeof(GetHeldEventCommand)));
    }
}

/// <summary>Hands a test's event to its runspace.</summary>
internal static class EventHolder
{
    public static TraceEvent? Current { get; set; }
}

[Cmdlet(VerbsCommon.Get, "HeldEvent")]
public sealed class GetHeldEventCommand : PSCmdlet
{
    protected override void EndProcessing() => WriteObject(EventHolder.Current);
}
