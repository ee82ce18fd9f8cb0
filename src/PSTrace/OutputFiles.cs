using System.Management.Automation;

namespace PSTrace;

/// <summary>The file of an Export-* command, as Export-Csv treats it: checked before any input, created at the first record written.</summary>
internal static class OutputFiles
{
    /// <summary>
    /// The full path of <paramref name="path"/>; a folder that does not exist, a path that is a folder or is not on
    /// the file system, and (with -NoClobber) a file that exists are terminating errors, before anything is read.
    /// </summary>
    public static string Resolve(PSCmdlet cmdlet, string path, bool noClobber)
    {
        string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
        if (provider.Name != "FileSystem")
        {
            Fail(cmdlet, new ArgumentException($"{path} is not a file system path (provider {provider.Name})."), "OutputPathNotFileSystem", ErrorCategory.InvalidArgument, path,
                "Give the path of a file.");
        }

        if (Directory.Exists(full))
        {
            Fail(cmdlet, new IOException($"{full} is a folder."), "OutputPathIsFolder", ErrorCategory.InvalidArgument, path,
                "Give the path of a file in it.");
        }

        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            Fail(cmdlet, new DirectoryNotFoundException($"The folder {folder} does not exist; nothing was written."), "OutputFolderNotFound",
                ErrorCategory.ObjectNotFound, path, $"Create it first (New-Item -ItemType Directory '{folder}'), or give a path in a folder that exists.");
        }

        if (noClobber && File.Exists(full))
        {
            Fail(cmdlet, new IOException($"{full} exists, and -NoClobber keeps it."), "OutputFileExists", ErrorCategory.ResourceExists, path,
                "Give another path, or leave out -NoClobber to overwrite it.");
        }

        return full;
    }

    /// <summary>Creates (or truncates) the file; -Force first makes a read-only file writable. A failure is a terminating error.</summary>
    public static FileStream Create(PSCmdlet cmdlet, string full, bool force, bool noClobber)
    {
        try
        {
            if (force && File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReadOnly))
            {
                File.SetAttributes(full, File.GetAttributes(full) & ~FileAttributes.ReadOnly);
            }

            cmdlet.WriteVerbose($"Writing {full}.");
            return new FileStream(full, noClobber ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(cmdlet, e, "OutputFileNotWritten", ErrorCategory.WriteError, full, force ? null : "If the file is read-only, -Force overwrites it.");
            throw; // not reached: Fail throws.
        }
    }

    private static void Fail(PSCmdlet cmdlet, Exception e, string errorId, ErrorCategory category, object target, string? fix)
    {
        var record = new ErrorRecord(e, errorId, category, target);
        if (fix is not null)
        {
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = fix };
        }

        cmdlet.ThrowTerminatingError(record);
    }
}
