using PSTrace.Core.Streaming;
using System.Management.Automation;
using PSTrace.Core.Formats;
using PSTrace.Core.Binary;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>What the cmdlets that read saved traces (-Path) share: wildcards resolved to files, and the formats for text.</summary>
internal static class SavedTraceFiles
{
    /// <summary>
    /// The files <paramref name="patterns"/> name, wildcards expanded; a pattern that names nothing is an error, and
    /// the others go on. Literal: the file was named as it is, not matched by a wildcard.
    /// </summary>
    public static IEnumerable<(string File, bool Literal)> Resolve(PSCmdlet cmdlet, IEnumerable<string> patterns)
    {
        foreach (string pattern in patterns)
        {
            IEnumerable<string> files;
            try
            {
                files = cmdlet.GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException e)
            {
                cmdlet.WriteError(new ErrorRecord(e, "TraceFileNotFound", ErrorCategory.ObjectNotFound, pattern));
                continue;
            }

            bool literal = !WildcardPattern.ContainsWildcardCharacters(pattern);
            foreach (string file in files)
            {
                yield return (file, literal);
            }
        }
    }

    /// <summary>
    /// Opens one file with <paramref name="open"/> (EventSource.OpenSaved, which checks it first). A refusal is an
    /// error for this file only, and null comes back: a directory, device, socket or pipe that a wildcard matched is
    /// skipped with a line in -Verbose (a pattern names its matches on no one's purpose), and /dev/zero, named, is an
    /// error rather than a read that never ends.
    /// </summary>
    public static EventSource? Open(PSCmdlet cmdlet, string file, bool literal, Func<EventSource> open)
    {
        try
        {
            return open();
        }
        catch (TraceException e) when (!literal && e.ErrorId is "TraceFileIsDirectory" or "TraceFileNotRegular")
        {
            cmdlet.WriteVerbose($"Skipped {file}: {e.Message}");
        }
        catch (TraceException e)
        {
            cmdlet.WriteError(ErrorRecords.From(e));
        }
        catch (TraceDataException e)
        {
            cmdlet.WriteError(Corrupt(file, e));
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C while waiting for a pipe's writer: stop quietly, as a live session does.
        }

        return null;
    }

    /// <summary>The error of a trace.dat that is truncated or damaged: events before the offset named were written.</summary>
    public static ErrorRecord Corrupt(string file, TraceDataException e) =>
        new(e, "TraceDataCorrupt", ErrorCategory.InvalidData, file)
        {
            ErrorDetails = new ErrorDetails($"{file}: {e.Message}") { RecommendedAction = "The file is truncated or damaged at the offset named; events before it were written." },
        };

    /// <summary>This machine's event formats, to type the fields of saved text; null without tracefs (bodies stay text).</summary>
    public static EventFormatCatalog? MachineCatalog()
    {
        string? root = TracefsLocator.Find();
        return root is null ? null : EventFormatCatalog.Load(Path.Combine(root, "events"));
    }
}
