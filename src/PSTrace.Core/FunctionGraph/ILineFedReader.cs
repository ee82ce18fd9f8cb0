using System.Diagnostics.CodeAnalysis;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>A reader fed one line of trace text at a time that hands out records once they are whole.</summary>
public interface ILineFedReader
{
    void AddLine(ReadOnlySpan<char> text);

    /// <summary>The input ended: whatever is still held comes out.</summary>
    void Complete();

    bool TryTake([NotNullWhen(true)] out object? record);
}

/// <summary>Runs an <see cref="ILineFedReader"/> over a whole text.</summary>
public static class LineFedReader
{
    /// <summary>Reads <paramref name="text"/> to its end, yielding records as they are ready.</summary>
    public static IEnumerable<object> ReadAll(ILineFedReader reader, TextReader text)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(text);
        while (text.ReadLine() is { } line)
        {
            reader.AddLine(line);
            while (reader.TryTake(out object? record))
            {
                yield return record;
            }
        }

        reader.Complete();
        while (reader.TryTake(out object? record))
        {
            yield return record;
        }
    }
}
