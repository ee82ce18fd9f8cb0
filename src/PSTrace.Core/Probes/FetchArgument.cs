namespace PSTrace.Core.Probes;

/// <summary>
/// One fetch-arg of a probe: "NAME=EXPRESSION[:TYPE]". The kernel records one field per argument,
/// named <see cref="Name"/>, and prints it as name=value in every hit.
/// </summary>
public sealed class FetchArgument
{
    internal FetchArgument(string name, bool nameGiven, FetchExpression expression, ProbeArgumentType type, string body)
    {
        Name = name;
        NameGiven = nameGiven;
        Expression = expression;
        Type = type;
        Body = body;
    }

    /// <summary>The field name: the one written before '=', or the one the kernel gives (argN, or the BTF variable's own name).</summary>
    public string Name { get; }

    /// <summary>False when the definition gave no "NAME=" and the kernel's naming applies.</summary>
    public bool NameGiven { get; }

    public FetchExpression Expression { get; }

    public ProbeArgumentType Type { get; }

    /// <summary>Expression and type as written ("+0($retval):string"): what the kernel lists after "name=".</summary>
    public string Body { get; }

    /// <summary>
    /// Parses one fetch-arg for a probe of <paramref name="kind"/>. <paramref name="index"/> is its position
    /// among the probe's arguments (the kernel names an unnamed one arg&lt;index+1&gt;).
    /// <paramref name="atFunctionEntry"/> says the probe sits on a kernel function's first instruction, where $argN works.
    /// </summary>
    public static FetchArgument Parse(string text, ProbeKind kind, int index = 0, bool atFunctionEntry = false) =>
        FetchArgumentParser.Parse(text, new FetchContext(kind, atFunctionEntry), index);

    /// <summary>Parses "<paramref name="name"/>=<paramref name="body"/>", for callers that hold names and bodies apart (a hashtable).</summary>
    public static FetchArgument Parse(string name, string body, ProbeKind kind, bool atFunctionEntry = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(body);
        return FetchArgumentParser.Parse(name + "=" + body, new FetchContext(kind, atFunctionEntry), 0);
    }

    /// <summary>"name=body", as the kernel lists it and as it is written back.</summary>
    public override string ToString() => Name + "=" + Body;
}

/// <summary>What a fetch-arg may use depends on the probe it belongs to.</summary>
internal readonly record struct FetchContext(ProbeKind Kind, bool AtFunctionEntry)
{
    public bool IsKernel => Kind.IsKernel();

    public bool IsReturn => Kind.IsReturn();

    /// <summary>$argN and BTF names: a kprobe on a function's entry, or a kretprobe (the kernel keeps the entry's arguments).</summary>
    public bool HasFunctionArguments => IsKernel && (IsReturn || AtFunctionEntry);
}
