namespace PSTrace.Core.Probes;

/// <summary>The families of fetch-arg types the kernel knows (probe_fetch_types in trace_probe.c).</summary>
public enum ProbeTypeKind
{
    /// <summary>s8, s16, s32, s64: printed in decimal with a sign.</summary>
    Signed,

    /// <summary>u8, u16, u32, u64: printed in decimal.</summary>
    Unsigned,

    /// <summary>x8, x16, x32, x64 (and the default when no type is given: x64 on x86_64): printed as 0x...</summary>
    Hex,

    /// <summary>char: one byte printed as 'c'.</summary>
    Char,

    /// <summary>string: a NUL-terminated string read from kernel memory (or user memory on a uprobe).</summary>
    String,

    /// <summary>ustring: a NUL-terminated string read from user memory.</summary>
    UserString,

    /// <summary>symbol: an address printed as symbol+offset/size (kprobes only).</summary>
    Symbol,

    /// <summary>symstr: the symbol+offset/size text stored as a string (kprobes only).</summary>
    SymbolString,

    /// <summary>b&lt;width&gt;@&lt;offset&gt;/&lt;container&gt;: a bit field of an unsigned container.</summary>
    Bitfield,

    /// <summary>%pd: the name of a struct dentry * (kprobes only; the kernel expands it to a string fetch).</summary>
    DentryName,

    /// <summary>%pD: the name of a struct file *'s dentry (kprobes only; expanded like %pd).</summary>
    FileName,
}
