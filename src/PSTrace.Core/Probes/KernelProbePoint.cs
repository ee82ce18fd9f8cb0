using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>Where a kprobe goes: [MODULE:]SYMBOL[+OFFSET], or a bare kernel address.</summary>
public sealed class KernelProbePoint
{
    /// <summary>KRETPROBE_MAXACTIVE_MAX.</summary>
    public const int MaxActiveLimit = 4096;

    private KernelProbePoint(string? module, string? symbol, ulong offset, ulong? address)
    {
        Module = module;
        Symbol = symbol;
        Offset = offset;
        Address = address;
    }

    /// <summary>The module that holds <see cref="Symbol"/>, when the place names one ("ext4:ext4_sync_fs").</summary>
    public string? Module { get; }

    /// <summary>The kernel symbol; null for an address probe.</summary>
    public string? Symbol { get; }

    /// <summary>Bytes past the symbol; 0 means the function's entry.</summary>
    public ulong Offset { get; }

    /// <summary>The kernel address of an address probe; null for a symbol probe.</summary>
    public ulong? Address { get; }

    /// <summary>The probe sits on a function's first instruction, where $argN and parameter names work.</summary>
    public bool IsFunctionEntry => Symbol is not null && Offset == 0;

    public static KernelProbePoint AtSymbol(string symbol, ulong offset = 0, string? module = null)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (!FetchArgumentParser.IsKernelSymbol(symbol))
        {
            throw new ProbeValidationException(ProbeErrorCode.BadProbeAddr, $"'{symbol}' is not a kernel symbol name.", symbol, 0, symbol.Length);
        }

        if (module is not null && !ProbeNames.IsGoodGroupName(module))
        {
            throw new ProbeValidationException(ProbeErrorCode.BadProbeAddr, $"'{module}' is not a kernel module name.", module, 0, module.Length);
        }

        if (offset > uint.MaxValue)
        {
            throw new ProbeValidationException(ProbeErrorCode.BadProbeAddr, $"The offset {offset} is too large; the kernel takes at most {uint.MaxValue}.", symbol, 0, symbol.Length);
        }

        return new KernelProbePoint(module, symbol, offset, null);
    }

    public static KernelProbePoint AtAddress(ulong address) => new(null, null, 0, address);

    /// <summary>The place as the kernel's syntax writes it (and lists it back: symbol+decimal offset).</summary>
    public override string ToString()
    {
        if (Address is ulong a)
        {
            return KernelNumber.Hex(a);
        }

        string name = Module is null ? Symbol! : Module + ":" + Symbol;
        return Offset == 0 ? name : name + "+" + Offset.ToString(CultureInfo.InvariantCulture);
    }
}
