using PSTrace.Core.Records;

namespace PSTrace.Core.Tools;

/// <summary>
/// Glues the lines of trace text that carry the rest of a probe's string (it held a newline) onto the
/// string they continue: the last one read, as long as no other event came in between.
/// </summary>
internal sealed class StringContinuation
{
    private ContinuedString? _open;

    /// <summary>True when <paramref name="ev"/> was the rest of the open string (it is used up); else the open string is closed.</summary>
    public bool Absorb(TraceEvent ev)
    {
        if (EventFields.IsContinuation(ev))
        {
            _open?.Continue(ev.Line ?? ev.Body);
            return true;
        }

        _open = null;
        return false;
    }

    /// <summary>Makes <paramref name="value"/> the string that following lines continue; returns it.</summary>
    public ContinuedString? Open(ContinuedString? value) => _open = value;
}
