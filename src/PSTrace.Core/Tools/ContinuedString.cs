using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.Tools;

/// <summary>
/// A probe's string argument that may go on over several lines: the kernel prints a string as it is, so a
/// newline in it ends the trace line, and the rest comes on lines of their own. From text the value is
/// kept as the kernel printed it (quotes included) from the event's body, and unquoted when read; from the
/// binary buffer it is whole already.
/// </summary>
/// <remarks>From text, the string must be the probe's last argument, so that everything after its "name=" is its value.</remarks>
internal sealed class ContinuedString
{
    private readonly bool _printed;
    private string _raw;

    private ContinuedString(string raw, bool printed)
    {
        _raw = raw;
        _printed = printed;
    }

    /// <summary>The string argument <paramref name="name"/> of a probe hit; null when the event has none.</summary>
    public static ContinuedString? From(TraceEvent ev, string name)
    {
        if (ev.HasRecordedFields)
        {
            return ev.Fields.TryGetValue(name, out object? value) && value is string s ? new ContinuedString(s, printed: false) : null;
        }

        string marker = " " + name + "=";
        int at = ev.Body.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : new ContinuedString(ev.Body[(at + marker.Length)..], printed: true);
    }

    /// <summary>The string; null when the kernel could not read it ("(fault)").</summary>
    public string? Value =>
        _raw == EventBodyDecoder.Fault ? null
        : _printed && _raw.Length >= 2 && _raw[0] == '"' && _raw[^1] == '"' ? _raw[1..^1]
        : _raw;

    /// <summary>Adds a line that followed the event: the string held a newline.</summary>
    public void Continue(string line) => _raw += "\n" + line;
}
