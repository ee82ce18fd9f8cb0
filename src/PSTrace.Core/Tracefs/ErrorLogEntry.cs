using System.Globalization;

namespace PSTrace.Core.Tracefs;

/// <summary>
/// One entry of tracefs' error_log:
/// <code>
/// [  123.456789] trace_kprobe: error: Invalid register name
///   Command: p:myprobe do_sys_openat2 dfd=%xx
///                                         ^
/// </code>
/// </summary>
public sealed class ErrorLogEntry
{
    public ErrorLogEntry(string timestamp, string subsystem, string message, string command, int? caretPosition)
    {
        Timestamp = timestamp;
        Subsystem = subsystem;
        Message = message;
        Command = command;
        CaretPosition = caretPosition;
    }

    public string Timestamp { get; }
    public string Subsystem { get; }
    public string Message { get; }
    public string Command { get; }

    /// <summary>Index into Command where the kernel put its caret.</summary>
    public int? CaretPosition { get; }

    public override string ToString() => $"[{Timestamp}] {Subsystem}: error: {Message} | Command: {Command}";

    /// <summary>Parses the whole error_log text into its entries, oldest first.</summary>
    public static IReadOnlyList<ErrorLogEntry> ParseAll(string text)
    {
        var entries = new List<ErrorLogEntry>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (!line.StartsWith('['))
            {
                continue;
            }

            int close = line.IndexOf(']');
            if (close < 0)
            {
                continue;
            }

            string ts = line[1..close].Trim();
            string rest = line[(close + 1)..].Trim();
            int colon = rest.IndexOf(':');
            string subsystem = colon > 0 ? rest[..colon] : "";
            string message = colon > 0 ? rest[(colon + 1)..].Trim() : rest;
            if (message.StartsWith("error:", StringComparison.Ordinal))
            {
                message = message["error:".Length..].Trim();
            }

            string command = "";
            int? caret = null;
            const string CommandTag = "  Command: ";
            if (i + 1 < lines.Length && lines[i + 1].StartsWith(CommandTag, StringComparison.Ordinal))
            {
                command = lines[i + 1][CommandTag.Length..];
                if (i + 2 < lines.Length && lines[i + 2].TrimEnd().EndsWith('^'))
                {
                    int pos = lines[i + 2].IndexOf('^') - CommandTag.Length;
                    caret = pos >= 0 ? pos : null;
                    i++;
                }

                i++;
            }

            entries.Add(new ErrorLogEntry(ts, subsystem, message, command, caret));
        }

        return entries;
    }

    internal string Key => string.Create(CultureInfo.InvariantCulture, $"{Timestamp}|{Subsystem}|{Message}|{Command}");
}
