namespace PSTrace.Core.Probes.Elf;

/// <summary>A program, library or symbol could not be turned into a uprobe place; the message says what to do instead.</summary>
public sealed class SymbolResolutionException : Exception
{
    public SymbolResolutionException(string message, string? file = null, string? symbol = null)
        : base(message)
    {
        File = file;
        Symbol = symbol;
    }

    /// <summary>The file that was searched, when one was found.</summary>
    public string? File { get; }

    public string? Symbol { get; }
}
