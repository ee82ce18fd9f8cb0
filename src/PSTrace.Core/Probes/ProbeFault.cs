namespace PSTrace.Core.Probes;

/// <summary>An argument the kernel could not fetch (it printed "(fault)": the memory was not readable at the probe).</summary>
public sealed class ProbeFault
{
    public static ProbeFault Instance { get; } = new();

    private ProbeFault()
    {
    }

    public override string ToString() => "(fault)";
}
