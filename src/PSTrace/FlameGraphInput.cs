using System.Collections;
using System.Management.Automation;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;

namespace PSTrace;

/// <summary>
/// Turns what Export-FlameGraph is given into stacks: FunctionCall trees, stack events, folded lines, and any
/// object that keeps the stack contract: a Stack property (its frames, innermost first) and a Weight or Count
/// property (a whole number of samples, or a TimeSpan of time). Profile records are expected to keep it.
/// </summary>
internal static class FlameGraphInput
{
    /// <summary>Adds one input object; false when it carries no stack or no value (the caller counts those).</summary>
    public static bool Add(StackCollector collector, object? input)
    {
        object? value = input is PSObject wrapped ? wrapped.BaseObject : input;
        switch (value)
        {
            case null:
                return false;
            case FunctionCall call:
                return collector.AddCallTree(call);
            case TraceEvent e:
                return collector.AddStackEvent(e);
            case string line:
                return collector.AddFoldedLine(line);
            case IList list:
                // Get-Content -ReadCount hands lines on in arrays.
                bool any = false;
                foreach (object? item in list)
                {
                    any |= Add(collector, item);
                }

                return any;
        }

        return input is PSObject record && AddRecord(collector, record);
    }

    /// <summary>The stack contract: Stack, and Weight (preferred when set) or Count.</summary>
    private static bool AddRecord(StackCollector collector, PSObject record)
    {
        object? stack = Unwrap(record.Properties["Stack"]?.Value);
        object? amount = Unwrap(record.Properties["Weight"]?.Value) ?? Unwrap(record.Properties["Count"]?.Value);
        if (stack is null || amount is null || Frames(stack) is not { Count: > 0 } frames)
        {
            return false;
        }

        if (amount is TimeSpan time)
        {
            return collector.AddStack(frames, time.Ticks * 100, FlameValueUnit.Nanoseconds);
        }

        return LanguagePrimitives.TryConvertTo(amount, out decimal count) && count == decimal.Truncate(count) && count is > 0 and <= long.MaxValue
            && collector.AddStack(frames, (long)count, FlameValueUnit.Samples);
    }

    /// <summary>The frames as text: a list of them (strings, or objects shown as their text), or one string as one frame.</summary>
    private static List<string>? Frames(object stack)
    {
        if (stack is string one)
        {
            return [one];
        }

        if (stack is not IEnumerable many)
        {
            return null;
        }

        var frames = new List<string>();
        foreach (object? frame in many)
        {
            frames.Add(Unwrap(frame) is { } f ? LanguagePrimitives.ConvertTo<string>(f) : "");
        }

        return frames;
    }

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;
}
