using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>
/// The type part of a fetch-arg ("arg=%di:u32", "+0(%si):string", "@x:u8[4]", "%ax:b4@4/32"):
/// how the kernel stores and prints the value.
/// </summary>
public sealed class ProbeArgumentType
{
    private ProbeArgumentType(ProbeTypeKind kind, int bits, int bitWidth, int bitOffset, int arrayLength, bool isDefault)
    {
        Kind = kind;
        Bits = bits;
        BitWidth = bitWidth;
        BitOffset = bitOffset;
        ArrayLength = arrayLength;
        IsDefault = isDefault;
    }

    /// <summary>The type the kernel uses when a fetch-arg names none: x64 on a 64-bit kernel.</summary>
    public static ProbeArgumentType Default { get; } = new(ProbeTypeKind.Hex, 64, 0, 0, 0, isDefault: true);

    /// <summary>The string type, the only one $comm and immediate strings take.</summary>
    public static ProbeArgumentType String { get; } = new(ProbeTypeKind.String, 32, 0, 0, 0, isDefault: false);

    public ProbeTypeKind Kind { get; }

    /// <summary>Size of one stored element in bits: 8..64 for numbers, the container for a bit field, 32 for the string kinds (a __data_loc word).</summary>
    public int Bits { get; }

    /// <summary>Bit-field width (b&lt;width&gt;@...); 0 for other kinds.</summary>
    public int BitWidth { get; }

    /// <summary>Bit-field offset (b...@&lt;offset&gt;/...); 0 for other kinds.</summary>
    public int BitOffset { get; }

    /// <summary>Elements of a &lt;type&gt;[N] array; 0 when the argument is not an array.</summary>
    public int ArrayLength { get; }

    /// <summary>True when the fetch-arg gave no type and the kernel's default applies.</summary>
    public bool IsDefault { get; }

    public bool IsArray => ArrayLength > 0;

    /// <summary>string, ustring, symstr, %pd, %pD: the value is text.</summary>
    public bool IsString => Kind is ProbeTypeKind.String or ProbeTypeKind.UserString or ProbeTypeKind.SymbolString or ProbeTypeKind.DentryName or ProbeTypeKind.FileName;

    /// <summary>Bytes this argument takes in the event record (what the kernel adds up against MAX_PROBE_EVENT_SIZE).</summary>
    public int RecordSize => Bits / 8 * Math.Max(1, ArrayLength);

    /// <summary>The same element type as an array of <paramref name="length"/> elements.</summary>
    public ProbeArgumentType WithArrayLength(int length) => new(Kind, Bits, BitWidth, BitOffset, length, IsDefault && length == 0);

    /// <summary>
    /// Reads a type name without the array suffix. Null when the kernel does not know it
    /// (find_fetch_type). Bit fields are checked for shape here and for fit by <see cref="BitfieldProblem"/>.
    /// </summary>
    public static ProbeArgumentType? FromName(string name)
    {
        switch (name)
        {
            case "string": return String;
            case "ustring": return new(ProbeTypeKind.UserString, 32, 0, 0, 0, false);
            case "symstr": return new(ProbeTypeKind.SymbolString, 32, 0, 0, 0, false);
            case "symbol": return new(ProbeTypeKind.Symbol, 64, 0, 0, 0, false);
            case "char": return new(ProbeTypeKind.Char, 8, 0, 0, 0, false);
            case "%pd": return new(ProbeTypeKind.DentryName, 32, 0, 0, 0, false);
            case "%pD": return new(ProbeTypeKind.FileName, 32, 0, 0, 0, false);
        }

        if (name.Length >= 2 && name[0] is 's' or 'u' or 'x' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits is 8 or 16 or 32 or 64 && name[1..] == bits.ToString(CultureInfo.InvariantCulture))
        {
            ProbeTypeKind kind = name[0] switch { 's' => ProbeTypeKind.Signed, 'u' => ProbeTypeKind.Unsigned, _ => ProbeTypeKind.Hex };
            return new(kind, bits, 0, 0, 0, false);
        }

        if (name.StartsWith('b'))
        {
            // The kernel finds a bit field's storage type from the container after '/' alone, then checks the rest.
            int slash = name.IndexOf('/');
            if (slash < 0 || !KernelNumber.TryParseUnsigned(name[(slash + 1)..], out ulong container) || container is not (8 or 16 or 32 or 64))
            {
                return null;
            }

            int width = 0, offset = -1;
            int at = name.IndexOf('@');
            if (at > 1 && at < slash)
            {
                _ = int.TryParse(name.AsSpan(1, at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out width);
                if (int.TryParse(name.AsSpan(at + 1, slash - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int o))
                {
                    offset = o;
                }
            }

            return new(ProbeTypeKind.Bitfield, (int)container, width, offset, 0, false);
        }

        return null;
    }

    /// <summary>Why a bit field cannot be fetched (zero width, missing '@' or offset, or it does not fit its container); null when it can.</summary>
    public string? BitfieldProblem()
    {
        if (Kind != ProbeTypeKind.Bitfield)
        {
            return null;
        }

        if (BitWidth <= 0 || BitOffset < 0)
        {
            return "A bit field is written b<width>@<offset>/<container>, e.g. b4@4/32, with a width of at least 1.";
        }

        return BitWidth + BitOffset > Bits
            ? $"The bit field b{BitWidth}@{BitOffset}/{Bits} does not fit: width plus offset ({BitWidth + BitOffset}) exceeds the {Bits}-bit container."
            : null;
    }

    /// <summary>The type as the kernel's syntax writes it, with the array suffix.</summary>
    public override string ToString()
    {
        string element = Kind switch
        {
            ProbeTypeKind.Signed => "s" + Bits.ToString(CultureInfo.InvariantCulture),
            ProbeTypeKind.Unsigned => "u" + Bits.ToString(CultureInfo.InvariantCulture),
            ProbeTypeKind.Hex => "x" + Bits.ToString(CultureInfo.InvariantCulture),
            ProbeTypeKind.Char => "char",
            ProbeTypeKind.String => "string",
            ProbeTypeKind.UserString => "ustring",
            ProbeTypeKind.Symbol => "symbol",
            ProbeTypeKind.SymbolString => "symstr",
            ProbeTypeKind.DentryName => "%pd",
            ProbeTypeKind.FileName => "%pD",
            _ => string.Create(CultureInfo.InvariantCulture, $"b{BitWidth}@{BitOffset}/{Bits}"),
        };
        return IsArray ? string.Create(CultureInfo.InvariantCulture, $"{element}[{ArrayLength}]") : element;
    }
}
