namespace PSTrace.Core.Probes;

/// <summary>
/// The register names an x86_64 kernel takes after '%' in a fetch-arg: the pt_regs field names of
/// arch/x86/kernel/ptrace.c regoffset_table, matched exactly. Note "di", not "rdi": the kernel
/// rejects the assembler spellings.
/// </summary>
public static class X86Registers
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8",
        "bx", "cx", "dx", "si", "di", "bp", "ax",
        "orig_ax", "ip", "cs", "flags", "sp", "ss",
    ];

    /// <summary>The System V calling convention's argument registers, in order, as the kernel names them.</summary>
    public static IReadOnlyList<string> ArgumentRegisters { get; } = ["di", "si", "dx", "cx", "r8", "r9"];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>What the user probably meant: "rdi" -> "di", "eax" -> "ax", "rip" -> "ip"; null when there is no obvious match.</summary>
    public static string? Suggest(string name)
    {
        string lower = name.ToLowerInvariant();
        if (IsKnown(lower))
        {
            return lower;
        }

        if (lower.Length == 3 && lower[0] is 'r' or 'e' && IsKnown(lower[1..]))
        {
            return lower[1..];
        }

        if (lower.Length >= 3 && lower[0] == 'r' && char.IsAsciiDigit(lower[1]))
        {
            // r8d, r9w, r10b: the sub-registers of r8..r15.
            string trimmed = lower.TrimEnd('d', 'w', 'b');
            return IsKnown(trimmed) ? trimmed : null;
        }

        return lower switch { "rflags" or "eflags" => "flags", _ => null };
    }
}
