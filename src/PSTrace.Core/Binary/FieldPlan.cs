using PSTrace.Core.Formats;

namespace PSTrace.Core.Binary;

/// <summary>Where a field's bytes are: at a fixed offset, behind a __data_loc or __rel_loc word, or from its offset to the record's end.</summary>
internal enum FieldPlace
{
    Fixed,
    DataLoc,
    RelLoc,
    /// <summary>A trailing "char buf[]" of size 0: the rest of the record.</summary>
    Trailing,
}

/// <summary>What one element of a field is.</summary>
internal enum ElementKind
{
    Char,
    Signed,
    Unsigned,
    Pointer,
    Bool,
}

/// <summary>A field of an event format turned into the few facts the decoder needs, computed once per format.</summary>
internal sealed class FieldPlan
{
    private FieldPlan(string name, FieldPlace place, int offset, int size, ElementKind kind, int elementSize, bool isArray)
    {
        Name = name;
        Place = place;
        Offset = offset;
        Size = size;
        Kind = kind;
        ElementSize = elementSize;
        IsArray = isArray;
    }

    public string Name { get; }
    public FieldPlace Place { get; }
    public int Offset { get; }

    /// <summary>Bytes at Offset: the value for fixed fields, the location word (4) for dynamic ones.</summary>
    public int Size { get; }

    public ElementKind Kind { get; }
    public int ElementSize { get; }

    /// <summary>More than one element: an array (or text, for Char).</summary>
    public bool IsArray { get; }

    public static FieldPlan From(FormatField f)
    {
        bool isChar = f.Type is "char" or "const char" or "signed char";
        switch (f.Layout)
        {
            case FieldLayout.DataLoc:
            case FieldLayout.RelLoc:
            {
                // The location word is a u32 whatever the file says its size is.
                FieldPlace place = f.Layout == FieldLayout.DataLoc ? FieldPlace.DataLoc : FieldPlace.RelLoc;
                return isChar
                    ? new FieldPlan(f.Name, place, f.Offset, 4, ElementKind.Char, 1, true)
                    : Numeric(f, place, 4, f.ElementSize, true);
            }

            case FieldLayout.Array when f.Size == 0:
                return isChar
                    ? new FieldPlan(f.Name, FieldPlace.Trailing, f.Offset, 0, ElementKind.Char, 1, true)
                    : Numeric(f, FieldPlace.Trailing, 0, CTypes.SizeOf(f.Type) ?? 1, true);

            case FieldLayout.Array:
                return isChar
                    ? new FieldPlan(f.Name, FieldPlace.Fixed, f.Offset, f.Size, ElementKind.Char, 1, true)
                    : Numeric(f, FieldPlace.Fixed, f.Size, f.ElementSize, true);

            default:
                return Numeric(f, FieldPlace.Fixed, f.Size, f.Size, false);
        }
    }

    /// <summary>The same field read from its offset to the record's end, for arrays the kernel sizes per record.</summary>
    public FieldPlan AsTrailing() => new(Name, FieldPlace.Trailing, Offset, 0, Kind, ElementSize, true);

    private static FieldPlan Numeric(FormatField f, FieldPlace place, int size, int elementSize, bool isArray)
    {
        ElementKind kind = f.Type.EndsWith('*') ? ElementKind.Pointer
            : f.Type is "bool" or "_Bool" ? ElementKind.Bool
            : (isArray ? TypeIsSigned(f.Type) : f.IsSigned) ? ElementKind.Signed
            : ElementKind.Unsigned;
        if (elementSize is not (1 or 2 or 4 or 8))
        {
            // A struct or an odd size: keep the bytes.
            return new FieldPlan(f.Name, place, f.Offset, size, ElementKind.Unsigned, 1, true);
        }

        if (kind == ElementKind.Bool && elementSize != 1)
        {
            kind = ElementKind.Unsigned;
        }

        return new FieldPlan(f.Name, place, f.Offset, size, kind, elementSize, isArray);
    }

    /// <summary>
    /// The sign of an element type. Dynamic arrays only state the sign of their location word,
    /// so the element's comes from the C type name.
    /// </summary>
    internal static bool TypeIsSigned(string type)
    {
        string t = type.Replace("const ", "", StringComparison.Ordinal).Trim();
        return !(t.StartsWith("unsigned", StringComparison.Ordinal) || t.StartsWith('u') || t.StartsWith("__u", StringComparison.Ordinal)
            || t.EndsWith('*') || t is "bool" or "_Bool" or "size_t" or "gfp_t" or "dev_t" or "sector_t");
    }

    public override string ToString() => $"{Name}: {Place} {Kind}{ElementSize * 8}{(IsArray ? "[]" : "")} @{Offset}";
}
