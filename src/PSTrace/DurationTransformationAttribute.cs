using System.Globalization;
using System.Management.Automation;

namespace PSTrace;

/// <summary>
/// Lets -Duration take what people type: a number of seconds (10, 0.5), a string with a unit
/// ("500ms", "10s", "2m"), or a TimeSpan ("00:00:10"). A bare number would otherwise become ticks.
/// Zero and negative durations are refused here, in every command that takes one: a deadline in
/// the past would otherwise read as "no deadline" and the command would run until stopped.
/// </summary>
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject pso ? pso.BaseObject : inputData;
        TimeSpan duration = value switch
        {
            TimeSpan ts => ts,
            int or long or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string s => Parse(s.Trim()),
            _ => throw new ArgumentTransformationMetadataException($"Cannot use '{value}' as a duration: give seconds (10), a unit (500ms, 10s, 2m) or a TimeSpan."),
        };
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentTransformationMetadataException(
                $"-Duration must be longer than zero, not '{value}': give how long to trace (10, 500ms, 2m), or leave -Duration out to run until stopped (Ctrl+C).");
        }

        return duration;
    }

    private static TimeSpan Parse(string s)
    {
        (string unit, double scale)[] units = { ("ms", 0.001), ("us", 0.000001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach ((string unit, double scale) in units)
        {
            if (s.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(s[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
            {
                return TimeSpan.FromSeconds(n * scale);
            }
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out TimeSpan ts))
        {
            return ts;
        }

        throw new ArgumentTransformationMetadataException($"Cannot use '{s}' as a duration: give seconds (10), a unit (500ms, 10s, 2m) or a TimeSpan.");
    }
}
