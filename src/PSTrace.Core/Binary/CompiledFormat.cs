using PSTrace.Core.Formats;

namespace PSTrace.Core.Binary;

/// <summary>An event format prepared for decoding: its fields' plans and the names shared by every decoded event.</summary>
internal sealed class CompiledFormat
{
    public CompiledFormat(EventFormat format)
    {
        Format = format;
        Plans = format.Fields.Select(f => IsRecordedStack(format, f) ? FieldPlan.From(f).AsTrailing() : FieldPlan.From(f)).ToArray();
        Names = new FieldNames(Plans.Select(p => p.Name).ToArray());
        MinimumLength = Plans.Where(p => p.Place != FieldPlace.Trailing).Select(p => p.Offset + p.Size).DefaultIfEmpty(0).Max();
        FieldPlan? bad = Plans.FirstOrDefault(p => p.Offset < 0 || p.Size < 0 || p.Offset + p.Size < 0);
        Problem = bad is null ? null : $"field {bad.Name} has offset {bad.Offset} and size {bad.Size}";
        IsProbe = Plans.Any(p => p.Name is "__probe_ip" or "__probe_func");
    }

    /// <summary>
    /// ftrace:kernel_stack's caller array: the format says caller[8], but the kernel records as many entries as the
    /// stack had (size of them), so a record is shorter or longer than the format. Read to the record's end instead.
    /// </summary>
    private static bool IsRecordedStack(EventFormat format, FormatField field) =>
        format is { System: "ftrace", Name: "kernel_stack" } && field.Name == "caller" && field.Layout == FieldLayout.Array;

    /// <summary>A kprobe or uprobe event: a string it could not fetch is stored with length 0 (the kernel prints "(fault)").</summary>
    public bool IsProbe { get; }

    /// <summary>Why records of this format cannot be decoded (a damaged format file), or null.</summary>
    public string? Problem { get; }

    public EventFormat Format { get; }
    public FieldPlan[] Plans { get; }
    public FieldNames Names { get; }

    /// <summary>The fewest bytes a record of this event can have.</summary>
    public int MinimumLength { get; }
}

/// <summary>Field names of one format with their positions; one instance shared by all events of that format.</summary>
internal sealed class FieldNames
{
    private readonly Dictionary<string, int> _index;

    public FieldNames(string[] names)
    {
        Names = names;
        _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            _index.TryAdd(names[i], i);
        }
    }

    public string[] Names { get; }

    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;
}
