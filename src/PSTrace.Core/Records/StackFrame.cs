using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>
/// One frame of a sampled stack: the address, and what it is in: a kernel function (/proc/kallsyms), a function of a
/// program or library (its ELF symbols), or only the file it lies in (module and offset) when the file has no symbol
/// there. Its text (ToString) is what a flame graph shows: the function, else module+offset, else the address.
/// </summary>
public sealed class StackFrame
{
    public StackFrame(ulong address, bool isKernel, string? function, string? module, ulong? offset)
    {
        Address = address;
        IsKernel = isKernel;
        Function = function;
        Module = module;
        Offset = offset;
    }

    /// <summary>
    /// The return (or sampled) address as the stack held it. Stacks that differ only in where inside their functions
    /// they were taken are one record: then this is the address of the first of them.
    /// </summary>
    public ulong Address { get; }

    /// <summary>True for a kernel frame, false for a user-space one.</summary>
    public bool IsKernel { get; }

    /// <summary>The function's name; null when no symbol covers the address.</summary>
    public string? Function { get; }

    /// <summary>The kernel module (null for the kernel image), or the file name of the program or library; null when unknown.</summary>
    public string? Module { get; }

    /// <summary>Where the address lies in <see cref="Module"/>'s file (user frames); null when the file is unknown.</summary>
    public ulong? Offset { get; }

    public override string ToString()
    {
        if (Function is not null)
        {
            return IsKernel && Module is not null ? Function + " [" + Module + "]" : Function;
        }

        return Module is not null && Offset is { } offset
            ? string.Create(CultureInfo.InvariantCulture, $"{Module}+0x{offset:x}")
            : string.Create(CultureInfo.InvariantCulture, $"0x{Address:x}");
    }
}
