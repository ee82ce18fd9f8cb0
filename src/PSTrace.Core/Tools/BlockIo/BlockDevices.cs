using System.Globalization;

namespace PSTrace.Core.Tools.BlockIo;

/// <summary>Device names by number, from /sys/dev/block/MAJOR:MINOR/uevent (DEVNAME), read once per device.</summary>
internal sealed class BlockDevices
{
    private readonly Dictionary<(int, int), string?> _names = new();

    public string? NameOf(int major, int minor)
    {
        if (!_names.TryGetValue((major, minor), out string? name))
        {
            name = Read(major, minor);
            _names[(major, minor)] = name;
        }

        return name;
    }

    /// <summary>The kernel's dev_t in trace events: major in the upper 12 bits, minor in the lower 20.</summary>
    public static (int Major, int Minor) Split(ulong dev) => ((int)(dev >> 20), (int)(dev & 0xfffff));

    private static string? Read(int major, int minor)
    {
        try
        {
            foreach (string line in File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/sys/dev/block/{major}:{minor}/uevent")))
            {
                if (line.StartsWith("DEVNAME=", StringComparison.Ordinal))
                {
                    return line["DEVNAME=".Length..];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
