using System.Globalization;
using PSTrace.Core.Binary;
using PSTrace.Core.Records;

namespace PSTrace.Core.Pictures;

/// <summary>
/// Gathers the stacks a flame graph is drawn from, whatever carries them: <see cref="FunctionCall"/> trees
/// (each call's own time, under the calls that led to it), events with a kernel or user stack (one sample
/// each), stacks with a count or a time (profile records), and lines already folded. Counts and times
/// are kept apart, as one graph cannot show both.
/// </summary>
public sealed class StackCollector
{
    private readonly FoldedStacks _samples = new(FlameValueUnit.Samples);
    private readonly FoldedStacks _time = new(FlameValueUnit.Nanoseconds);
    private readonly HashSet<FunctionCall> _folded = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _path = [];
    private readonly Func<KernelSymbols> _kernelSymbols;
    private KernelSymbols? _symbols;

    /// <param name="kernelSymbols">Names the addresses of stacks read from binary records; called on the first such stack.</param>
    public StackCollector(Func<KernelSymbols> kernelSymbols)
    {
        ArgumentNullException.ThrowIfNull(kernelSymbols);
        _kernelSymbols = kernelSymbols;
    }

    /// <summary>True when both sample counts and times were added: no one graph shows both.</summary>
    public bool IsMixed => _samples.Total > 0 && _time.Total > 0;

    /// <summary>What was gathered: the times when any were added, else the counts (empty when nothing was).</summary>
    public FoldedStacks Stacks => _time.Total > 0 ? _time : _samples;

    /// <summary>
    /// Folds a call tree: every call adds its own time (its duration less its calls' durations) under the
    /// path of calls from <paramref name="call"/> down to it, so the tree's folded values add up to its
    /// duration and a frame is as wide as the call's inclusive time. A call whose exit was lost counts as
    /// long as the calls below it that are known. Calls already folded as part of an earlier tree (-Flat
    /// output, which hands out each call on its own as well as its root) are not counted twice.
    /// </summary>
    /// <returns>False when the tree has no known time at all.</returns>
    public bool AddCallTree(FunctionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_folded.Contains(call))
        {
            return true;
        }

        long before = _time.Total;
        _path.Clear();
        Fold(call);
        return _time.Total > before || call.DurationNanoseconds is not null;
    }

    /// <summary>Adds an ftrace:kernel_stack or ftrace:user_stack event as one sample; false when the event has no frames.</summary>
    public bool AddStackEvent(TraceEvent stackEvent)
    {
        ArgumentNullException.ThrowIfNull(stackEvent);
        IReadOnlyList<string>? frames = StackEventFrames(stackEvent);
        return frames is not null && AddStack(frames, 1, FlameValueUnit.Samples);
    }

    /// <summary>Adds a stack given innermost frame first, as kernels and profilers print them; false for no frames or no value.</summary>
    public bool AddStack(IReadOnlyList<string> framesInnermostFirst, long value, FlameValueUnit unit)
    {
        ArgumentNullException.ThrowIfNull(framesInnermostFirst);
        if (framesInnermostFirst.Count == 0 || value <= 0)
        {
            return false;
        }

        var outermostFirst = new string[framesInnermostFirst.Count];
        for (int i = 0; i < outermostFirst.Length; i++)
        {
            outermostFirst[i] = framesInnermostFirst[outermostFirst.Length - 1 - i];
        }

        (unit == FlameValueUnit.Nanoseconds ? _time : _samples).Add(outermostFirst, value);
        return true;
    }

    /// <summary>Adds a folded line ("a;b;c 12") as counts; false when it is not one.</summary>
    public bool AddFoldedLine(string line)
    {
        if (!FoldedLine.TryParse(line, out string stack, out long value))
        {
            return false;
        }

        _samples.AddFolded(stack, value);
        return true;
    }

    /// <summary>Adds every folded line of a text (a .folded file); returns how many lines were not folded stacks.</summary>
    public long AddFoldedLines(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long refused = 0;
        while (reader.ReadLine() is { } line)
        {
            if (!AddFoldedLine(line))
            {
                refused++;
            }
        }

        return refused;
    }

    /// <summary>True for the events that carry a stack: ftrace:kernel_stack and ftrace:user_stack.</summary>
    public static bool IsStackEvent(TraceEvent e) =>
        e is { System: "ftrace" or "", Name: "kernel_stack" or "user_stack" };

    /// <summary>The frame a call shows as: "name", or "name [module]" for a module's function.</summary>
    public static string FrameName(FunctionCall call) =>
        (call.Function ?? "[unknown]") + (call.Module is null ? "" : " [" + call.Module + "]");

    /// <summary>Folds the call and its calls; returns the call's inclusive time (its duration, or its known calls' when lost).</summary>
    private long Fold(FunctionCall call)
    {
        _folded.Add(call);
        _path.Add(FrameName(call));
        long children = 0;
        foreach (FunctionCall child in call.Children)
        {
            children += Fold(child);
        }

        long inclusive = call.DurationNanoseconds ?? children;
        _time.Add(_path, Math.Max(0, inclusive - children));
        _path.RemoveAt(_path.Count - 1);
        return inclusive;
    }

    /// <summary>
    /// The frames of a stack event, innermost first: the names the text printed (Fields["stack"]), or, from binary
    /// records, the addresses in Fields["caller"] (up to Fields["size"] of them) named by the kernel's symbols;
    /// user-space addresses stay addresses, printed as the kernel prints them.
    /// </summary>
    private IReadOnlyList<string>? StackEventFrames(TraceEvent e)
    {
        if (!IsStackEvent(e))
        {
            return null;
        }

        if (e.Fields.TryGetValue("stack", out object? printed) && printed is string[] names)
        {
            return names.Length == 0 ? null : names;
        }

        if (!e.Fields.TryGetValue("caller", out object? raw) || raw is not ulong[] addresses)
        {
            return null;
        }

        // Kernels record as many entries as the stack had (size), whatever the format's fixed caller[8] says.
        long recorded = e.Fields.TryGetValue("size", out object? size) && size is int or long ? Convert.ToInt64(size, CultureInfo.InvariantCulture) : addresses.Length;
        int count = (int)Math.Clamp(recorded, 0, addresses.Length);
        bool kernel = e.Name == "kernel_stack";
        var frames = new List<string>(count);
        for (int i = 0; i < count && addresses[i] is not (0 or ulong.MaxValue); i++)
        {
            frames.Add(kernel ? KernelName(addresses[i]) : "<" + addresses[i].ToString("x16", CultureInfo.InvariantCulture) + ">");
        }

        return frames.Count == 0 ? null : frames;
    }

    private string KernelName(ulong address) =>
        (_symbols ??= _kernelSymbols()).Lookup(address)?.Name ?? "0x" + address.ToString("x", CultureInfo.InvariantCulture);
}
