using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using PSTrace.Core.Probes;

namespace PSTrace;

/// <summary>
/// Turns what a user gives -Argument into "name=fetcharg" texts: an ordered hashtable (@{ sd = '%di' }),
/// "name=fetcharg" strings, FetchArgument objects, or objects with Name and Fetch (or Value) properties.
/// Each name and fetch-arg is checked on its own first, so a line break or '#' hidden in either is refused
/// with the part it was in, before the whole argument is parsed in the probe's context.
/// </summary>
internal static class ProbeArgumentInput
{
    /// <summary>The texts in order, and whether a hashtable without an order held more than one (the order is then arbitrary).</summary>
    public static (IReadOnlyList<string> Texts, bool Unordered) Convert(object[]? input)
    {
        var texts = new List<string>();
        bool unordered = false;
        foreach (object? item in input ?? [])
        {
            object? value = item is PSObject pso ? pso.BaseObject : item;
            switch (value)
            {
                case IDictionary d:
                    unordered |= d.Count > 1 && d is not (IOrderedDictionary or SortedList);
                    foreach (DictionaryEntry entry in d)
                    {
                        texts.Add(Pair(entry.Key, entry.Value));
                    }

                    break;
                case string s:
                    ProbeTextGuard.CheckField(s, "argument");
                    texts.Add(s);
                    break;
                case FetchArgument f:
                    texts.Add(f.ToString());
                    break;
                case PSCustomObject when item is PSObject obj && obj.Properties["Name"] is { } name
                        && (obj.Properties["Fetch"] ?? obj.Properties["Value"]) is { } fetch:
                    texts.Add(Pair(name.Value, fetch.Value));
                    break;
                default:
                    string shown = LanguagePrimitives.ConvertTo<string>(item) ?? "";
                    throw new ProbeValidationException(ProbeErrorCode.BadFetchArg,
                        "An argument is given as an ordered hashtable ([ordered]@{ name = 'fetcharg' }), as 'name=fetcharg' text, or as an object with Name and Fetch properties.", shown, 0, shown.Length);
            }
        }

        return (texts, unordered);
    }

    private static string Pair(object? key, object? fetch)
    {
        string name = key as string ?? LanguagePrimitives.ConvertTo<string>(key) ?? "";
        string body = fetch as string ?? LanguagePrimitives.ConvertTo<string>(fetch) ?? "";
        ProbeTextGuard.CheckField(name, "argument name");
        if (!ProbeNames.IsGoodName(name))
        {
            int bad = name.Length == 0 ? 0 : name.Select((c, i) => (c, i)).First(x => !(char.IsAsciiLetter(x.c) || x.c == '_' || (x.i > 0 && char.IsAsciiDigit(x.c)))).i;
            throw new ProbeValidationException(ProbeErrorCode.BadArgName,
                $"The argument name '{name}' must be a C identifier (letters, digits and '_', not starting with a digit): it becomes a field of the event.", name, bad);
        }

        ProbeTextGuard.CheckField(body, $"fetch-arg of '{name}'");
        return name + "=" + body;
    }
}
