using PSTrace.Core.Bpf;

namespace PSTrace.Tests.Bpf;

/// <summary>
/// A test that loads PSTrace's BPF programs into this machine's kernel: it needs what Get-TraceCapability Bpf needs
/// and a built module (./build.ps1 Build compiles the programs into out/PSTrace/VERSION/bpf, which the test uses).
/// Skipped with the reason elsewhere; under CI=true it always runs.
/// </summary>
public sealed class LiveBpfFactAttribute : FactAttribute
{
    public LiveBpfFactAttribute()
    {
        BuiltPrograms.Use();
        if (Environment.GetEnvironmentVariable("CI") != "true" && BpfCapability.Machine.Probe() is { Available: false } f)
        {
            Skip = "live BPF test: " + f.Detail;
        }
    }
}

/// <summary>The compiled programs of the module the build laid out beside the repository's tests.</summary>
internal static class BuiltPrograms
{
    public static void Use()
    {
        string built = Path.Combine(Path.GetDirectoryName(Fixtures.Dir)!, "..", "out", "PSTrace");
        string? module = Directory.Exists(built) ? Directory.GetDirectories(built).OrderDescending().FirstOrDefault() : null;
        if (module is not null)
        {
            BpfProgramFiles.Directory = Path.GetFullPath(Path.Combine(module, "bpf"));
        }
    }
}
