using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTrace.Core.Probes.Elf;

namespace PSTrace;

/// <summary>Completes New-Uprobe -Function with the function symbols of the file -Path names (program, library, or path).</summary>
public sealed class ElfFunctionCompleter : IArgumentCompleter
{
    private const int MaxResults = 500;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters["Path"] is not { } bound || (bound is PSObject p ? p.BaseObject : bound) is not string path || path.Length == 0)
        {
            return [];
        }

        ElfImage image;
        try
        {
            image = ElfImage.Load(new UprobeResolver().LocateFile(path));
        }
        catch (Exception e) when (e is SymbolResolutionException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.None);
        return image.Symbols.Where(s => s.IsFunction && !s.IsIndirectFunction).Select(s => s.Name)
            .Where(n => pattern.IsMatch(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxResults)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
