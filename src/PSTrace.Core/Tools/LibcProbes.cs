using PSTrace.Core.Probes;
using PSTrace.Core.Probes.Elf;

namespace PSTrace.Core.Tools;

/// <summary>Where the watch tools put their uprobes in the C library every dynamically linked program loads.</summary>
internal static class LibcProbes
{
    public const string Library = "libc.so.6";

    /// <summary>The place of <paramref name="function"/> in libc; null (with the reason) when it cannot be found.</summary>
    public static UserProbePoint? Find(string function, out string? problem)
    {
        try
        {
            problem = null;
            return new UprobeResolver().Resolve(Library, function).ToProbePoint();
        }
        catch (SymbolResolutionException e)
        {
            problem = e.Message;
            return null;
        }
    }

    public static ProbeDefinition Entry(UserProbePoint place, params string[] arguments) =>
        ProbeDefinition.Create(ProbeKind.Uprobe, place, "p", null, arguments);

    public static ProbeDefinition Return(UserProbePoint place, params string[] arguments) =>
        ProbeDefinition.Create(ProbeKind.Uretprobe, place, "r", null, arguments);
}
