using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>Calls of one system call over a watch, like a line of strace -c.</summary>
public sealed class SyscallSummary
{
    public SyscallSummary(string name, long calls, long errors, ulong totalNanoseconds, double percentTime)
    {
        Name = name;
        Calls = calls;
        Errors = errors;
        TotalNanoseconds = totalNanoseconds;
        PercentTime = percentTime;
    }

    public string Name { get; }

    /// <summary>Calls that returned.</summary>
    public long Calls { get; }

    /// <summary>Calls that returned an error.</summary>
    public long Errors { get; }

    /// <summary>Time spent in the call, summed over calls.</summary>
    public TimeSpan Time => TimeSpan.FromTicks((long)(TotalNanoseconds / 100));

    public ulong TotalNanoseconds { get; }

    /// <summary>Time per call.</summary>
    public TimeSpan AverageTime => Calls == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(TotalNanoseconds / (ulong)Calls / 100));

    /// <summary>Share of the time of all calls watched, in percent.</summary>
    public double PercentTime { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PercentTime,6:0.00} {TotalNanoseconds / 1000_000_000.0,11:0.000000} {(Calls == 0 ? 0 : TotalNanoseconds / (ulong)Calls / 1000),9} {Calls,9} {(Errors == 0 ? "" : Errors.ToString(CultureInfo.InvariantCulture)),9} {Name}");
}
