using System.Globalization;
using System.Text;

namespace PSTrace.Core.Pictures;

/// <summary>What the values of a flame graph count: samples (one per stack seen) or time in nanoseconds.</summary>
public enum FlameValueUnit
{
    Samples,
    Nanoseconds,
}

/// <summary>
/// Stacks folded the way flamegraph.pl, inferno and speedscope read them: one line per distinct stack,
/// its frames from the outermost to the innermost joined by ';', a space, and the stack's total value
/// ("vfs_read;rw_verify_area 1234"). Equal stacks add up; the lines come out in ordinal order, the
/// order flamegraph.pl sorts them in before drawing.
/// </summary>
public sealed class FoldedStacks
{
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly StringBuilder _key = new();

    public FoldedStacks(FlameValueUnit unit) => Unit = unit;

    public FlameValueUnit Unit { get; }

    /// <summary>The number of distinct stacks.</summary>
    public int Count => _values.Count;

    /// <summary>The sum of every stack's value: the root frame's width.</summary>
    public long Total { get; private set; }

    /// <summary>
    /// Adds a stack, outermost frame first. A value of zero or less adds nothing (a call that spent no
    /// time of its own has no width of its own). Frame names are made safe for the format: a ';' would
    /// split a frame in two and a line break would end the line, so they become ':' and a space; an
    /// empty name becomes "[unknown]", as perf names a frame it cannot name.
    /// </summary>
    public void Add(IReadOnlyList<string> framesOutermostFirst, long value)
    {
        ArgumentNullException.ThrowIfNull(framesOutermostFirst);
        if (value <= 0 || framesOutermostFirst.Count == 0)
        {
            return;
        }

        _key.Clear();
        for (int i = 0; i < framesOutermostFirst.Count; i++)
        {
            if (i > 0)
            {
                _key.Append(';');
            }

            AppendFrame(_key, framesOutermostFirst[i]);
        }

        AddFolded(_key.ToString(), value);
    }

    /// <summary>Adds a stack already folded ("a;b;c"), as read from a folded line.</summary>
    internal void AddFolded(string stack, long value)
    {
        if (value <= 0 || stack.Length == 0)
        {
            return;
        }

        ref long slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_values, stack, out _);
        slot = checked(slot + value);
        Total = checked(Total + value);
    }

    /// <summary>The distinct stacks and their values, in ordinal order of the stack text.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Sorted()
    {
        var list = _values.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    /// <summary>Writes the folded lines ("stack value\n"), sorted.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach ((string stack, long value) in Sorted())
        {
            writer.Write(stack);
            writer.Write(' ');
            writer.Write(value.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    private static void AppendFrame(StringBuilder key, string? frame)
    {
        if (string.IsNullOrWhiteSpace(frame))
        {
            key.Append("[unknown]");
            return;
        }

        foreach (char c in frame.AsSpan().Trim())
        {
            key.Append(c switch
            {
                ';' => ':',
                '\n' or '\r' or '\t' => ' ',
                _ => c,
            });
        }
    }
}
