using PSTrace.Core.Streaming;
using System.Management.Automation;
using PSTrace.Core.Formats;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>What the cmdlets that read saved traces (-Path) share: wildcards resolved to files, and the formats for text.</summary>
internal static class SavedTraceFiles
{
    /// <summary>The files <paramref name="patterns"/> name (wildcards expanded, directories skipped); a pattern that names nothing is an error, and the others go on.</summary>
    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> patterns)
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

            foreach (string file in files)
            {
                if (Directory.Exists(file))
                {
                    cmdlet.WriteError(ErrorRecords.Parameter("TraceFileIsDirectory", $"{file} is a directory, not a saved trace.", file, "Give a trace.dat file or saved trace text."));
                    continue;
                }

                try
                {
                    // A device (/dev/zero), socket or named pipe would never end or never start: refused like Get-TraceEvent -Path does.
                    SavedFileCheck.Check(file, allowFifo: false);
                }
                catch (TraceException e)
                {
                    cmdlet.WriteError(ErrorRecords.From(e));
                    continue;
                }

                yield return file;
            }
        }
    }

    /// <summary>This machine's event formats, to type the fields of saved text; null without tracefs (bodies stay text).</summary>
    public static EventFormatCatalog? MachineCatalog()
    {
        string? root = TracefsLocator.Find();
        return root is null ? null : EventFormatCatalog.Load(Path.Combine(root, "events"));
    }
}
