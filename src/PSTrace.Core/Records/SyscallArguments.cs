using System.Globalization;
using PSTrace.Core.Formats;

namespace PSTrace.Core.Records;

/// <summary>
/// A syscall's arguments typed by the C types of its format: the kernel records every argument as a
/// 64-bit word (an "int dfd" of size 8, unsigned), so an int is cut back to 32 bits and read signed,
/// a pointer stays an address (the only ulong values), every other number is a long. Descriptors that mean "the current directory" and open flags get names.
/// </summary>
public static class SyscallArguments
{
    private const long AtFdCwd = -100;

    private static readonly HashSet<string> Signed32 = new(StringComparer.Ordinal)
    {
        "int", "pid_t", "key_t", "clockid_t", "timer_t", "mqd_t", "key_serial_t", "rwf_t", "__s32", "s32",
    };

    private static readonly HashSet<string> Unsigned32 = new(StringComparer.Ordinal)
    {
        "unsigned int", "unsigned", "u32", "__u32", "umode_t", "uid_t", "gid_t", "old_uid_t", "old_gid_t", "qid_t", "unsigned short", "u16",
    };

    private static readonly HashSet<string> Signed64 = new(StringComparer.Ordinal)
    {
        "long", "off_t", "loff_t", "ssize_t", "time_t", "__kernel_old_time_t", "s64", "__s64", "long long",
    };

    /// <summary>Arguments that are addresses though the format declares them unsigned long (mmap, munmap, mprotect, brk, mremap).</summary>
    private static readonly HashSet<string> AddressNames = new(StringComparer.Ordinal) { "addr", "start", "brk", "new_addr", "old_addr" };

    private static readonly HashSet<string> DescriptorNames = new(StringComparer.Ordinal) { "fd", "dfd", "olddfd", "newdfd", "oldfd", "newfd", "epfd", "fromfd", "tofd", "fd_in", "fd_out", "dirfd" };

    /// <summary>The arguments of a sys_enter event (its Fields), in the format's order, without __syscall_nr.</summary>
    public static IReadOnlyDictionary<string, object?> Decode(string syscall, IReadOnlyDictionary<string, object?> fields, EventFormat? format)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var result = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
        IEnumerable<string> names = format?.Fields.Where(f => !f.IsCommon && f.Name != "__syscall_nr").Select(f => f.Name)
            ?? fields.Keys.Where(k => k != "__syscall_nr");
        foreach (string name in names)
        {
            if (!fields.TryGetValue(name, out object? raw))
            {
                continue;
            }

            result[name] = Typed(syscall, name, raw, format?.Field(name)?.Type);
        }

        return result;
    }

    internal static object? Typed(string syscall, string name, object? raw, string? type)
    {
        if (raw is not (long or ulong))
        {
            return raw;
        }

        ulong bits = raw is long l ? unchecked((ulong)l) : (ulong)raw;
        string t = (type ?? "").Replace("const ", "", StringComparison.Ordinal).Trim();
        object value = t.EndsWith('*') || (AddressNames.Contains(name) && t == "unsigned long") ? bits
            : Signed32.Contains(t) ? (long)unchecked((int)(uint)bits)
            : Unsigned32.Contains(t) ? (long)(uint)bits
            : Signed64.Contains(t) ? unchecked((long)bits)
            : bits <= long.MaxValue ? (long)bits
            : (object)bits;

        if (DescriptorNames.Contains(name) && !t.EndsWith('*'))
        {
            // A descriptor is an int however the format declares it (mmap's "unsigned long fd" is -1 for none).
            long fd = unchecked((int)(uint)bits);
            return fd == AtFdCwd ? "AT_FDCWD" : fd;
        }

        if (name == "flags" && syscall is "open" or "openat" && value is long flags)
        {
            return OpenFlagsText.Format((int)flags);
        }

        return value;
    }

    /// <summary>An argument as strace would show it: addresses (the ulong values) in hex or NULL, numbers in decimal, text as it is.</summary>
    public static string Format(object? value) => value switch
    {
        null => "?",
        ulong u when u == 0 => "NULL",
        ulong u => "0x" + u.ToString("x", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A return value: an address for the calls that return one, else a number.</summary>
    public static string FormatReturn(string syscall, long value) =>
        syscall is "mmap" or "brk" or "mremap" or "shmat" && value > 0xffff
            ? "0x" + value.ToString("x", CultureInfo.InvariantCulture)
            : value.ToString(CultureInfo.InvariantCulture);
}
