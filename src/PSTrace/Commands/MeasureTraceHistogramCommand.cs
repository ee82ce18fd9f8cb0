using System.Collections;
using System.Management.Automation;
using PSTrace.Core.Pictures;
using PSTrace.Core.Records;

namespace PSTrace.Commands;

/// <summary>
/// Measure-TraceHistogram: a numeric or TimeSpan property of piped records counted into power-of-two (bpftrace's
/// hist()) or fixed-step (lhist()) buckets, drawn with bars by the default view. Only the counts are kept.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "TraceHistogram", DefaultParameterSetName = Log2Set)]
[OutputType(typeof(HistogramBucket))]
public sealed class MeasureTraceHistogramCommand : PSCmdlet
{
    private const string Log2Set = "Log2";
    private const string LinearSet = "Linear";

    /// <summary>The property to count: any number, or a TimeSpan (counted in whole microseconds).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Property { get; set; } = "";

    /// <summary>The records to count.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Power-of-two buckets, as bpftrace's hist(): [0], [1], [2, 4), [4, 8)... and negatives in one. The default.</summary>
    [Parameter(ParameterSetName = Log2Set)]
    public SwitchParameter Log2 { get; set; }

    /// <summary>Buckets of a fixed width (-Step), as bpftrace's lhist().</summary>
    [Parameter(Mandatory = true, ParameterSetName = LinearSet)]
    public SwitchParameter Linear { get; set; }

    /// <summary>The width of each -Linear bucket, in the property's unit (microseconds for a TimeSpan).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LinearSet)]
    public double Step { get; set; }

    /// <summary>A property whose values each get a histogram of their own (Command, Device).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GroupBy { get; set; }

    private readonly Dictionary<string, HistogramBuilder> _groups = new(StringComparer.Ordinal);
    private readonly List<string> _groupOrder = [];
    private HistogramScale _scale = HistogramScale.Log2;
    private bool? _timeSpans;
    private long _received;
    private SkippedRecords _skipped = new("");

    protected override void BeginProcessing()
    {
        if (ParameterSetName == LinearSet && !(Step > 0 && double.IsFinite(Step)))
        {
            ThrowTerminatingError(ErrorRecords.Parameter("HistogramStepNotPositive", $"-Step {Step} is not a width: a linear histogram's step must be a number above 0.", Step,
                "Give -Step the width of one bucket, in the property's unit (microseconds for a TimeSpan)."));
        }

        _scale = ParameterSetName == LinearSet ? HistogramScale.Linear(Step) : HistogramScale.Log2;
        _skipped = new SkippedRecords($"a numeric or TimeSpan {Property}");
    }

    protected override void ProcessRecord()
    {
        if (InputObject is not { } input)
        {
            return;
        }

        _received++;
        object? value = ValueOf(input, Property);
        double? number = value switch
        {
            TimeSpan t when _timeSpans is null or true => t.Ticks / TimeSpan.TicksPerMicrosecond,
            TimeSpan => null,
            not null when _timeSpans is null or false => NumberOf(value),
            _ => null,
        };
        if (number is not double n || !double.IsFinite(n))
        {
            _skipped.Add(input);
            return;
        }

        // The first value decides the unit; a TimeSpan after numbers (or the reverse) would mix units in one bucket.
        _timeSpans ??= value is TimeSpan;
        string group = GroupBy is null ? "" : Convert.ToString(ValueOf(input, GroupBy), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (!_groups.TryGetValue(group, out HistogramBuilder? builder))
        {
            _groups[group] = builder = new HistogramBuilder(_scale);
            _groupOrder.Add(group);
        }

        builder.Add(n);
    }

    protected override void EndProcessing()
    {
        _skipped.Warn(this, _received);
        string? unit = _timeSpans == true ? "us" : null;
        string histogram = unit is null ? Property : $"{Property} ({unit})";
        foreach (string group in _groupOrder)
        {
            IReadOnlyList<HistogramBucket> buckets;
            try
            {
                buckets = _groups[group].Buckets(histogram, GroupBy is null ? null : group, unit);
            }
            catch (Core.Tracefs.TraceException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e));
                return;
            }

            WriteObject(buckets, enumerateCollection: true);
        }
    }

    /// <summary>A property's value; a hashtable's key of that name too, so @{ Latency = ... } records count.</summary>
    private static object? ValueOf(PSObject input, string name)
    {
        if (input.BaseObject is IDictionary dictionary && dictionary.Contains(name))
        {
            return Unwrap(dictionary[name]);
        }

        return Unwrap(input.Properties[name]?.Value);
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    private static double? NumberOf(object value) => value switch
    {
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
