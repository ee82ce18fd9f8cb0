using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.Tools;

/// <summary>
/// A probe's string argument that may go on over several lines: the kernel prints a string as it is, so a
/// newline in it ends the trace line, and the rest comes on lines of their own. The value is kept as the
/// kernel printed it (quotes included) from the event's body, and unquoted when read.
/// </summary>
/// <remarks>The string must be the probe's last argument, so that everything after its "name=" is its value.</remarks>
internal sealed class ContinuedString
{
    private string _raw;

    private ContinuedString(string raw) => _raw = raw;

    /// <summary>The string argument <paramref name="name"/> of a probe hit, as printed; null when the event has none.</summary>
    public static ContinuedString? From(TraceEvent ev, string name)
    {
        string marker = " " + name + "=";
        int at = ev.Body.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : new ContinuedString(ev.Body[(at + marker.Length)..]);
    }

    /// <summary>The string; null when the kernel could not read it ("(fault)").</summary>
    public string? Value =>
        _raw == EventBodyDecoder.Fault ? null
        : _raw.Length >= 2 && _raw[0] == '"' && _raw[^1] == '"' ? _raw[1..^1]
        : _raw;

    /// <summary>Adds a line that followed the event: the string held a newline.</summary>
    public void Continue(string line) => _raw += "\n" + line;
}
