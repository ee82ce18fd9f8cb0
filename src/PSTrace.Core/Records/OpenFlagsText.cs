using System.Globalization;
using System.Text;

namespace PSTrace.Core.Records;

/// <summary>open(2) flags as names (x86-64 and the other architectures with the generic values), the way strace prints them.</summary>
public static class OpenFlagsText
{
    private static readonly (int Bits, string Name)[] Flags =
    [
        (0x410000, "O_TMPFILE"), // __O_TMPFILE | O_DIRECTORY
        (0x101000, "O_SYNC"), // __O_SYNC | O_DSYNC
        (0x40, "O_CREAT"),
        (0x80, "O_EXCL"),
        (0x100, "O_NOCTTY"),
        (0x200, "O_TRUNC"),
        (0x400, "O_APPEND"),
        (0x800, "O_NONBLOCK"),
        (0x1000, "O_DSYNC"),
        (0x2000, "O_ASYNC"),
        (0x4000, "O_DIRECT"),
        (0x8000, "O_LARGEFILE"),
        (0x10000, "O_DIRECTORY"),
        (0x20000, "O_NOFOLLOW"),
        (0x40000, "O_NOATIME"),
        (0x80000, "O_CLOEXEC"),
        (0x200000, "O_PATH"),
    ];

    /// <summary>"O_RDONLY|O_CLOEXEC" for 0x80000; bits without a name are added as hex.</summary>
    public static string Format(int flags)
    {
        var sb = new StringBuilder((flags & 3) switch
        {
            0 => "O_RDONLY",
            1 => "O_WRONLY",
            2 => "O_RDWR",
            _ => "O_ACCMODE",
        });
        int rest = flags & ~3;
        foreach ((int bits, string name) in Flags)
        {
            if ((rest & bits) == bits)
            {
                sb.Append('|').Append(name);
                rest &= ~bits;
            }
        }

        if (rest != 0)
        {
            sb.Append("|0x").Append(rest.ToString("x", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
