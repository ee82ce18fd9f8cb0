namespace PSTrace.Core.Text;

/// <summary>How a printf conversion writes its value, so the text can be read back.</summary>
internal enum ConversionKind
{
    Signed,
    Unsigned,
    Hex,
    Octal,
    Char,

    /// <summary>%s, %pS and the other %p extensions, floats: kept as text.</summary>
    Text,
}
