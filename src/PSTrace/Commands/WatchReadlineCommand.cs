using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Readline;

namespace PSTrace.Commands;

/// <summary>Watch-Readline: lines typed at bash prompts, read by a uretprobe on readline, like bashreadline.</summary>
[Cmdlet(VerbsCommon.Watch, "Readline", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(ReadlineEvent), typeof(TraceLostEvents))]
public sealed class WatchReadlineCommand : WatchCommandBase
{
    /// <summary>The program whose readline to watch: a path or a name on PATH.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Program { get; set; } = ReadlineWatcher.DefaultProgram;

    protected override TraceWatcher CreateWatcher() => new ReadlineWatcher(Program);
}
