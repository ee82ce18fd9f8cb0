using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Tools.Readline;

/// <summary>
/// Watches lines typed at bash prompts, like bashreadline: a uretprobe on readline reads the line it returns.
/// readline is found where the program has it: in the program itself (bash links it in) or, when the program
/// only imports it, in the libreadline it loads (bcc#1851 probed the wrong file).
/// </summary>
public sealed class ReadlineWatcher : TraceWatcher
{
    public const string DefaultProgram = "bash";

    private readonly string _program;
    private string? _event;
    private TraceClock? _clock;

    /// <param name="program">The program whose readline to watch: a path or a name on PATH.</param>
    public ReadlineWatcher(string program = DefaultProgram) => _program = program;

    /// <summary>The file and offset the probe went on, once configured.</summary>
    public UprobeTarget? Target { get; private set; }

    public override void Configure(WatchSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _clock = setup.Clock;
        Target = Locate(_program);
        ProbeDefinition probe = ProbeDefinition.Create(ProbeKind.Uretprobe, Target.ToProbePoint(), "r", null, ["line=+0($retval):string", "comm=$comm"]);
        _event = setup.AddProbe(probe, "readline", byCommand: true).Event;
        Backend = $"a uretprobe on readline in {Target.Path} (offset 0x{Target.Offset:x}) reading the returned line"
            + (Target.Path == new UprobeResolver().LocateFile(_program) ? "" : $", the library {_program} loads it from");
    }

    public override IEnumerable<object> Correlate(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        TraceClock clock = _clock ?? TraceClock.Unknown;
        foreach (object item in events)
        {
            if (item is not TraceEvent ev)
            {
                yield return item;
                continue;
            }

            // readline returns NULL at end of input (Ctrl+D): the fetch faults, and there is no line.
            if (ev.Name == _event && EventFields.String(ev, "line") is string line)
            {
                // $comm is the task's name when readline returned; the trace's comm column is looked up later
                // from a cache that, for a shell that has just started, may still hold its parent's name.
                string command = EventFields.String(ev, "comm") ?? ev.Command;
                yield return new ReadlineEvent(clock.ToDateTime(ev.TimestampNanoseconds), ev.TimestampNanoseconds, EventFields.ProcessOf(ev), command, line);
            }
        }
    }

    /// <summary>readline in the program, else in the readline library it needs.</summary>
    internal static UprobeTarget Locate(string program)
    {
        var resolver = new UprobeResolver();
        try
        {
            return resolver.Resolve(program, "readline");
        }
        catch (SymbolResolutionException)
        {
            ElfImage image = ElfImage.Load(resolver.LocateFile(program));
            string? library = image.NeededLibraries.FirstOrDefault(l => l.StartsWith("libreadline", StringComparison.Ordinal));
            if (library is null)
            {
                throw;
            }

            return resolver.Resolve(library, "readline");
        }
    }
}
