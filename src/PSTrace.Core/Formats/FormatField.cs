namespace PSTrace.Core.Formats;

/// <summary>How a field's bytes are to be read.</summary>
public enum FieldLayout
{
    /// <summary>A fixed-size scalar (integer or pointer) at Offset.</summary>
    Scalar,
    /// <summary>A fixed-size array at Offset: char[N] is a string, anything else an array of elements.</summary>
    Array,
    /// <summary>__data_loc: a u32 at Offset holding (length &lt;&lt; 16 | offset from the record start).</summary>
    DataLoc,
    /// <summary>__rel_loc: like DataLoc, but the offset counts from the end of this field.</summary>
    RelLoc,
}

/// <summary>One field of an event as its format file declares it.</summary>
public sealed class FormatField
{
    public FormatField(string name, string type, int offset, int size, bool isSigned, FieldLayout layout, int arrayLength, bool isCommon)
    {
        Name = name;
        Type = type;
        Offset = offset;
        Size = size;
        IsSigned = isSigned;
        Layout = layout;
        ArrayLength = arrayLength;
        IsCommon = isCommon;
    }

    public string Name { get; }

    /// <summary>The C type without the name and the array brackets ("unsigned long", "char", "const char *").</summary>
    public string Type { get; }

    public int Offset { get; }
    public int Size { get; }
    public bool IsSigned { get; }
    public FieldLayout Layout { get; }

    /// <summary>Elements of a fixed array (Layout Array); 0 otherwise.</summary>
    public int ArrayLength { get; }

    /// <summary>One of the common_* fields every event starts with.</summary>
    public bool IsCommon { get; }

    /// <summary>Characters rather than numbers: char arrays and __data_loc char[].</summary>
    public bool IsString => Layout != FieldLayout.Scalar && Type is "char" or "const char";

    /// <summary>A pointer, printed in hex by the kernel.</summary>
    public bool IsPointer => Layout == FieldLayout.Scalar && Type.EndsWith('*');

    /// <summary>Bytes in one element: Size for a scalar, Size / ArrayLength for an array, from the type for dynamic arrays.</summary>
    public int ElementSize => Layout switch
    {
        FieldLayout.Scalar => Size,
        FieldLayout.Array => ArrayLength > 0 ? Size / ArrayLength : Size,
        _ => CTypes.SizeOf(Type) ?? 1,
    };

    public override string ToString() => $"{Type} {Name}{(Layout == FieldLayout.Array ? $"[{ArrayLength}]" : Layout == FieldLayout.Scalar ? "" : "[]")}";
}
