namespace PSTrace.Core.Text;

/// <summary>What a saved trace can be read from: a regular file, or a named pipe given on purpose.</summary>
public enum SavedFileKind
{
    Regular,
    Fifo,
}
