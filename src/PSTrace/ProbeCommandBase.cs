using System.Management.Automation;
using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// Shared by New-Kprobe and New-Uprobe: build a definition from parameters or from the kernel's one-line syntax,
/// check every piece before anything is written, create the probe (and enable it, all or nothing), write it out.
/// </summary>
public abstract class ProbeCommandBase : TraceCmdlet
{
    protected const string DefinitionSet = "Definition";

    private bool _capabilityChecked;

    /// <summary>The event name; see each cmdlet for its default.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The group (events/GROUP); the kernel's default (kprobes, uprobes) when omitted.</summary>
    [Parameter]
    public string? Group { get; set; }

    /// <summary>The kernel's one-line definition: "p:NAME PLACE ARGS", "r:GROUP/NAME PLACE ARGS".</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet, ValueFromPipeline = true)]
    public string Definition { get; set; } = "";

    /// <summary>Enable the probe's event at once, in -Instance (the top-level buffer when omitted).</summary>
    [Parameter]
    public SwitchParameter Enable { get; set; }

    /// <summary>Where -Enable enables the probe: an instance, or '/' for the top-level buffer (the default); '' is refused.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string? Instance { get; set; }

    /// <summary>"Kprobes" or "Uprobes": the capability this cmdlet needs.</summary>
    protected abstract string Feature { get; }

    /// <summary>Whether the cmdlet makes kernel probes (New-Kprobe) or user probes (New-Uprobe).</summary>
    protected abstract bool MakesKernelProbes { get; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Instance is not null && !Enable)
        {
            ThrowTerminatingError(ErrorRecords.Parameter("InstanceWithoutEnable",
                "-Instance says where -Enable enables the probe; it does nothing without -Enable.", Instance, "Add -Enable, or leave -Instance out."));
        }
    }

    protected override void ProcessRecord()
    {
        ProbeDefinition? definition = TryBuild();
        if (definition is null)
        {
            return;
        }

        if (!_capabilityChecked)
        {
            Guard(() => Capabilities.Require(Fs, Feature));
            _capabilityChecked = true;
        }

        TraceBuffer? buffer = Enable ? ResolveBuffer(Instance) : null;
        string action = buffer is null ? "Create probe" : $"Create probe and enable it in {buffer.DisplayName}";
        if (!ShouldProcess(definition.ToString(), action))
        {
            return;
        }

        WriteVerbose($"Writing '{definition}' to {definition.Kind.ControlFile()}" + (buffer is null ? "." : $", then enabling {definition.Group}:{definition.Event} in {buffer.DisplayName}."));
        TryItem(() =>
        {
            TraceProbe probe = ProbeEvents.Create(Fs, definition, buffer);
            // Marked as PSTrace's, so Remove-TraceProbe removes it without asking.
            CreatedObjects.AddProbe(Fs, probe.Group, probe.Name);
            WriteObject(probe);
        });
    }

    /// <summary>The definition from the parameters of the cmdlet's own parameter sets (not -Definition).</summary>
    protected abstract ProbeDefinition BuildFromParameters(IReadOnlyList<string> arguments);

    /// <summary>The -Argument values of the cmdlet (declared by each cmdlet, whose parameter sets differ).</summary>
    protected abstract object[]? ArgumentInput { get; }

    /// <summary>Runs one check; a refusal is reported against <paramref name="parameter"/>.</summary>
    protected static T Check<T>(string parameter, Func<T> check)
    {
        try
        {
            return check();
        }
        catch (ProbeValidationException e)
        {
            throw new ParameterRefusal(parameter, e);
        }
    }

    protected static void CheckField(string parameter, string? value, string what)
    {
        if (value is not null)
        {
            Check(parameter, () =>
            {
                ProbeTextGuard.CheckField(value, what);
                return true;
            });
        }
    }

    /// <summary>Builds and checks the definition; on a refusal writes the error and returns null (nothing was written).</summary>
    private ProbeDefinition? TryBuild()
    {
        try
        {
            CheckField(nameof(Name), Name, "event name");
            CheckField(nameof(Group), Group, "group name");
            if (Name is not null)
            {
                Check(nameof(Name), () => { ProbeNames.CheckEventName(Name); return true; });
            }

            if (Group is not null)
            {
                Check(nameof(Group), () => { ProbeNames.CheckGroupName(Group); return true; });
            }

            if (ParameterSetName == DefinitionSet)
            {
                ProbeDefinition parsed = Check(nameof(Definition), () => ParseDefinition(Definition));
                return Name is null && Group is null ? parsed : Check(nameof(Definition), () => parsed.WithName(Group ?? parsed.Group, Name ?? parsed.Event));
            }

            (IReadOnlyList<string> arguments, bool unordered) = Check("Argument", () => ProbeArgumentInput.Convert(ArgumentInput));
            if (unordered)
            {
                WriteWarning("-Argument got a hashtable without an order, so the probe's fields are in no particular order. Use [ordered]@{ ... } to keep the order you wrote.");
            }

            return BuildFromParameters(arguments);
        }
        catch (ParameterRefusal r)
        {
            WriteError(ErrorRecords.InvalidProbe(r.Error, r.Parameter));
        }
        catch (ProbeValidationException e)
        {
            WriteError(ErrorRecords.InvalidProbe(e, ParameterOf(e.Code)));
        }
        catch (SymbolResolutionException e)
        {
            WriteError(ErrorRecords.Unresolved(e));
        }
        catch (InvalidDataException e)
        {
            WriteError(ErrorRecords.NotElf(e, null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "FileNotReadable", ErrorCategory.ReadError, null));
        }

        return null;
    }

    private ProbeDefinition ParseDefinition(string line)
    {
        ProbeDefinition d = ProbeDefinitionParser.Parse(line, checkFiles: !MakesKernelProbes);
        if (d.Kind.IsKernel() != MakesKernelProbes)
        {
            string other = d.Kind.IsKernel() ? "New-Kprobe" : "New-Uprobe";
            throw new ProbeValidationException(ProbeErrorCode.WrongProbeKind,
                $"This defines a {d.Kind} ({(d.Kind.IsKernel() ? "a kernel symbol or address" : "PATH:OFFSET")}); {MyInvocation.MyCommand.Name} makes {(MakesKernelProbes ? "kprobes" : "uprobes")}. Use {other}.",
                line, line.IndexOf(d.Place, StringComparison.Ordinal), d.Place.Length);
        }

        return d;
    }

    /// <summary>The parameter a refusal from building the whole definition is about.</summary>
    private static string ParameterOf(ProbeErrorCode code) => code switch
    {
        ProbeErrorCode.NoEventName or ProbeErrorCode.EventTooLong or ProbeErrorCode.BadEventName or ProbeErrorCode.EventNameRequired => nameof(Name),
        ProbeErrorCode.NoGroupName or ProbeErrorCode.GroupTooLong or ProbeErrorCode.BadGroupName => nameof(Group),
        ProbeErrorCode.BadMaxactType or ProbeErrorCode.BadMaxact or ProbeErrorCode.MaxactTooBig => "MaxActive",
        ProbeErrorCode.BadRetprobe or ProbeErrorCode.BadProbeAddr => "Offset",
        ProbeErrorCode.PathNotAbsolute or ProbeErrorCode.PathHasSpace or ProbeErrorCode.FileNotFound or ProbeErrorCode.NoRegularFile => "Path",
        _ => "Argument",
    };

    /// <summary>A refusal tied to the parameter its text came from.</summary>
    private sealed class ParameterRefusal : Exception
    {
        public ParameterRefusal(string parameter, ProbeValidationException error)
            : base(error.Message, error)
        {
            Parameter = parameter;
            Error = error;
        }

        public string Parameter { get; }

        public ProbeValidationException Error { get; }
    }
}
