using System.Management.Automation;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Module.Tests;

/// <summary>
/// The cmdlets' one loop, in a real runspace: what the producer yields reaches the pipeline in order, and each stop
/// rule (producer done, -MaxEvents, -Duration, an end condition with its drain) ends the loop. The buffer is an empty
/// directory: these tests are about the loop, and its end-of-run loss check must stay quiet where there are no stats.
/// </summary>
public sealed class LiveStreamTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-livestream-").FullName;

    public LiveStreamTests() => LiveStreamTestCommand.Root = _root;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WritesEveryItemInOrderUntilTheProducerEnds()
    {
        LiveStreamTestCommand.Configure = s => s;
        LiveStreamTestCommand.Producer = _ => Enumerable.Range(1, 500).Cast<object>();

        var (output, warnings, errors) = Run();

        Assert.Equal(Enumerable.Range(1, 500), output.Select(o => (int)o.BaseObject));
        Assert.Empty(warnings);
        Assert.Empty(errors);
    }

    [Fact]
    public void MaxRecordsStopsAnEndlessProducer()
    {
        LiveStreamTestCommand.Configure = s => s with { MaxRecords = 7 };
        LiveStreamTestCommand.Producer = Endless;

        var (output, _, errors) = Run();

        Assert.Equal(7, output.Count);
        Assert.Empty(errors);
    }

    [Fact]
    public void DurationStopsAnEndlessProducer()
    {
        LiveStreamTestCommand.Configure = s => s with { Duration = TimeSpan.FromMilliseconds(300) };
        LiveStreamTestCommand.Producer = Endless;

        var (output, _, errors) = Run();

        Assert.NotEmpty(output);
        Assert.Empty(errors);
    }

    [Fact]
    public void LostEventsAreWarnedAndWrittenNoticesOnlyWarned()
    {
        LiveStreamTestCommand.Configure = s => s;
        LiveStreamTestCommand.Producer = _ => new object[] { 1, new TraceLostEvents(1, 42), new WatchNotice("look here"), 2 };

        var (output, warnings, _) = Run();

        Assert.Equal(3, output.Count);
        Assert.IsType<TraceLostEvents>(output[1].BaseObject);
        // The gap is warned when it comes (at most once a second), the notice as itself, and the total once at the end.
        Assert.Equal(3, warnings.Count);
        Assert.StartsWith("The kernel lost 42 event(s) on CPU 1 (1 gap(s)", warnings[0], StringComparison.Ordinal);
        Assert.Equal("look here", warnings[1]);
        Assert.StartsWith("In all the kernel lost 42 event(s)", warnings[2], StringComparison.Ordinal);
    }

    [Fact]
    public void CountsDecidesWhatMaxRecordsCounts()
    {
        // A TraceLostEvents record goes out but is not one of the -MaxEvents records.
        LiveStreamTestCommand.Configure = s => s with { MaxRecords = 2, Counts = o => o is int };
        LiveStreamTestCommand.Producer = _ => new object[] { new TraceLostEvents(0, 1), 1, new TraceLostEvents(0, 1), 2, 3 };

        var (output, _, _) = Run();

        Assert.Equal(4, output.Count);
        Assert.Equal(2, output.Count(o => o.BaseObject is int));
    }

    [Fact]
    public void AnEndConditionRequestsTheEndAndDrainsWhatFollows()
    {
        // The end marker: once the condition holds, RequestEnd runs and the loop reads on until the producer ends.
        using var ended = new ManualResetEventSlim();
        int requests = 0;
        LiveStreamTestCommand.Configure = s => s with
        {
            EndCondition = () => true,
            RequestEnd = () => { Interlocked.Increment(ref requests); ended.Set(); },
        };
        LiveStreamTestCommand.Producer = cancel => UntilEnded(ended, cancel);

        var (output, _, errors) = Run();

        Assert.Equal(1, requests);
        Assert.Equal("after the end", output.Last().BaseObject);
        Assert.Empty(errors);
    }

    [Fact]
    public void ADoneProducerWithNothingEndsTheLoop()
    {
        LiveStreamTestCommand.Configure = s => s;
        LiveStreamTestCommand.Producer = _ => [];

        var (output, warnings, errors) = Run();

        Assert.Empty(output);
        Assert.Empty(warnings);
        Assert.Empty(errors);
    }

    private static (System.Collections.ObjectModel.Collection<PSObject>, IReadOnlyList<string>, IReadOnlyList<string>) Run() =>
        Runspaces.Run("Invoke-LiveStreamTest", ("Invoke-LiveStreamTest", typeof(LiveStreamTestCommand)));

    private static IEnumerable<object> Endless(CancellationToken cancel)
    {
        for (int i = 0; !cancel.IsCancellationRequested; i++)
        {
            yield return i;
        }
    }

    private static IEnumerable<object> UntilEnded(ManualResetEventSlim ended, CancellationToken cancel)
    {
        yield return "before the end";
        ended.Wait(cancel);
        yield return "after the end";
    }
}

/// <summary>The settings of one LiveStream run, applied by <see cref="LiveStreamTestCommand"/>.</summary>
internal sealed record LiveStreamSettings(
    TimeSpan Duration = default,
    int MaxRecords = 0,
    Func<object, bool>? Counts = null,
    Func<bool>? EndCondition = null,
    Action? RequestEnd = null);

/// <summary>A cmdlet whose whole work is one LiveStream run, set up by the test that invokes it.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "LiveStreamTest")]
public sealed class LiveStreamTestCommand : PSCmdlet
{
    internal static string Root { get; set; } = "";

    internal static Func<LiveStreamSettings, LiveStreamSettings> Configure { get; set; } = s => s;

    internal static Func<CancellationToken, IEnumerable<object>> Producer { get; set; } = _ => [];

    protected override void ProcessRecord()
    {
        LiveStreamSettings s = Configure(new LiveStreamSettings());
        var stream = new LiveStream(this, CancellationToken.None)
        {
            Duration = s.Duration,
            MaxRecords = s.MaxRecords,
            Counts = s.Counts ?? (_ => true),
            EndCondition = s.EndCondition,
            RequestEnd = s.RequestEnd,
        };
        stream.Run(Core.Tracefs.Tracefs.At(Root).TopLevel, Producer, null);
    }
}
