using System.Management.Automation;

namespace PSTrace;

/// <summary>
/// A file a cmdlet writes as Export-Csv does: checked before any input is read (a folder that is missing, a
/// folder given as the file, -NoClobber on an existing file, a read-only file without -Force), then written
/// to a file beside it and moved over the target once complete, so a failed write leaves the old file as it was.
/// Export-FlameGraph writes its file whole (Write); Export-TraceTimeline streams records into it as they come
/// (OpenTemporary, then Complete).
/// </summary>
internal sealed class OutputFile
{
    private readonly bool _noClobber;
    private string? _temporary;

    private OutputFile(string path, UnixFileMode? existingMode, bool noClobber)
    {
        Path = path;
        ExistingMode = existingMode;
        _noClobber = noClobber;
    }

    /// <summary>The full path on the file system.</summary>
    public string Path { get; }

    /// <summary>The permissions of the file being replaced, kept for the new one; null when there is none.</summary>
    public UnixFileMode? ExistingMode { get; }

    /// <summary>Checks the path; false with an ErrorRecord that says what is wrong and how to fix it (nothing has been written).</summary>
    public static bool TryCheck(PSCmdlet cmdlet, string path, bool noClobber, bool force, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutputFile? file, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ErrorRecord? error)
    {
        file = null;
        error = null;
        try
        {
            file = Check(cmdlet, path, noClobber, force);
            return true;
        }
        catch (RefusedException refused)
        {
            error = refused.Record;
            return false;
        }
        catch (Exception e) when (e is SessionStateException or ProviderInvocationException or NotSupportedException or ArgumentException)
        {
            // A drive that does not exist, a provider path PowerShell cannot resolve.
            error = new ErrorRecord(e, "BadPath", ErrorCategory.InvalidArgument, path);
            return false;
        }
    }

    private static OutputFile Check(PSCmdlet cmdlet, string path, bool noClobber, bool force)
    {
        string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.Ordinal))
        {
            throw Failure("OutputPathNotFileSystem", ErrorCategory.InvalidArgument, $"'{path}' is not a path on the file system (it is in the {provider.Name} provider).", path,
                "Give a file path, such as ./graph.svg.");
        }

        if (Directory.Exists(full))
        {
            throw Failure("OutputPathIsFolder", ErrorCategory.InvalidArgument, $"'{full}' is a folder; a file name is needed.", full,
                "Add a file name, such as " + System.IO.Path.Combine(full, "graph.svg") + ".");
        }

        string folder = System.IO.Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(folder))
        {
            throw Failure("OutputFolderNotFound", ErrorCategory.ObjectNotFound, $"The folder '{folder}' does not exist, so '{full}' cannot be written; nothing was written.", full,
                "Create the folder first (New-Item -ItemType Directory), or give a path in a folder that exists.");
        }

        if (!File.Exists(full))
        {
            return new OutputFile(full, null, noClobber);
        }

        if (noClobber)
        {
            throw Failure("OutputFileExists", ErrorCategory.ResourceExists, $"'{full}' already exists and -NoClobber was given; it was left as it is.", full,
                "Give another path, or leave out -NoClobber to replace the file.");
        }

        if (OperatingSystem.IsWindows())
        {
            return new OutputFile(full, null, noClobber);
        }

        UnixFileMode mode = File.GetUnixFileMode(full);
        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        if ((mode & anyWrite) == 0 && !force)
        {
            throw Failure("OutputFileReadOnly", ErrorCategory.PermissionDenied, $"'{full}' is read-only; it was left as it is.", full,
                "Add -Force to replace it (it stays read-only afterwards), or give another path.");
        }

        return new OutputFile(full, mode, noClobber);
    }

    /// <summary>Writes the whole file through <paramref name="write"/>, then puts it in place of the target.</summary>
    public void Write(Action<TextWriter> write)
    {
        try
        {
            using (var writer = new StreamWriter(OpenTemporary(), new System.Text.UTF8Encoding(false), 1 << 16))
            {
                write(writer);
            }

            Complete();
        }
        finally
        {
            Abandon();
        }
    }

    /// <summary>Creates the file beside the target that <see cref="Complete"/> puts in its place; the caller closes the stream first.</summary>
    public FileStream OpenTemporary()
    {
        if (_temporary is not null)
        {
            throw new InvalidOperationException("The output file is already open.");
        }

        string folder = System.IO.Path.GetDirectoryName(Path) ?? "/";
        _temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        return new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
    }

    /// <summary>Puts the written file in place of the target, with the replaced file's permissions.</summary>
    public void Complete()
    {
        string temporary = _temporary ?? throw new InvalidOperationException("Nothing was written.");
        if (ExistingMode is { } mode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, mode);
        }

        // -NoClobber holds to the end: a file that appeared meanwhile is not replaced.
        File.Move(temporary, Path, overwrite: !_noClobber);
        _temporary = null;
    }

    /// <summary>Deletes what was written and not completed (a failed write); the target stays as it was.</summary>
    public void Abandon()
    {
        if (_temporary is not null)
        {
            File.Delete(_temporary);
            _temporary = null;
        }
    }

    private static RefusedException Failure(string id, ErrorCategory category, string message, string target, string fix) =>
        new(new ErrorRecord(new IOException(message), id, category, target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = fix },
        });

    private sealed class RefusedException(ErrorRecord record) : Exception(record.Exception.Message)
    {
        public ErrorRecord Record { get; } = record;
    }
}
